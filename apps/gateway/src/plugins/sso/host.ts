// Tokens from the host portal's SSO: JWTs checked against the host issuer's published keys.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { HostSsoConfig } from '../../config/sso.js';
import { HttpError } from '../errors/index.js';

export type HostTokenVerifier = (token: string) => Promise<JWTPayload>;

/** Clock difference allowed between the host portal and the gateway. */
const clockToleranceSeconds = 30;

export function hostTokenVerifier(config: HostSsoConfig): HostTokenVerifier {
  const keys = createRemoteJWKSet(config.jwksUrl);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ['RS256', 'ES256'],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: clockToleranceSeconds,
      });
      return payload;
    } catch (err) {
      throw refusal(err);
    }
  };
}

function refusal(err: unknown): HttpError {
  const unauthorized = (message: string): HttpError => HttpError.unauthorized(message);
  if (err instanceof errors.JWTExpired) {
    return unauthorized('The host sign-in token has expired; sign in to the host portal again.');
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return unauthorized('The host sign-in token is from another issuer.');
    if (err.claim === 'aud') return unauthorized('The host sign-in token is for another audience.');
    return unauthorized(`The host sign-in token was refused: ${err.message}.`);
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return HttpError.badGateway("The host portal's signing keys could not be read.");
  }
  if (err instanceof errors.JOSEError) {
    // A signature that does not verify, a key the host never published, an algorithm not allowed.
    return unauthorized('The host sign-in token is not valid: its signature or format is wrong.');
  }
  return HttpError.badGateway("The host portal's signing keys could not be read.");
}
