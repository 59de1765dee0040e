// The OpenID Connect relying party: discovery on first use (retried after a failure, so the gateway
// starts while the provider is down), authorization code + PKCE, and the claims of a sign-in.
import type { FastifyBaseLogger } from 'fastify';
import * as client from 'openid-client';
import type { OidcConfig } from '../../config/sso.js';
import { HttpError } from '../errors/index.js';

/** What a sign-in keeps between the redirect to the provider and its callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

export interface OidcSignIn {
  claims: Record<string, unknown>;
  idToken: string | undefined;
}

export interface OidcClient {
  authorizationUrl(pending: PendingSignIn): Promise<URL>;
  /** Exchanges the code of `callbackUrl`; a 400 when the answer does not match `pending`. */
  complete(callbackUrl: URL, pending: PendingSignIn): Promise<OidcSignIn>;
  /** The provider's end-session URL, or undefined when it has none. */
  endSessionUrl(idToken: string | undefined): Promise<URL | undefined>;
}

export function newPendingSignIn(returnTo: string): PendingSignIn {
  return {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    returnTo,
  };
}

export function createOidcClient(config: OidcConfig, log: FastifyBaseLogger): OidcClient {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(
        config.issuer,
        config.clientId,
        undefined,
        client.ClientSecretBasic(config.clientSecret.reveal()),
        // The config allows http only on a loopback address (development and tests).
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only as a warning sign
        config.issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {},
      )
      .catch((err: unknown) => {
        discovered = undefined;
        log.warn({ err }, 'OIDC discovery failed');
        throw HttpError.badGateway('The sign-in provider could not be reached; try again later.');
      });
    return discovered;
  };

  return {
    async authorizationUrl(pending) {
      return client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: config.redirectUri.href,
        scope: config.scopes,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
      });
    },

    async complete(callbackUrl, pending) {
      const oidc = await configuration();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(oidc, callbackUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw refusal(err);
      }
      const idClaims = tokens.claims();
      if (idClaims === undefined) throw HttpError.badRequest('No ID token came back.');
      let claims: Record<string, unknown> = { ...idClaims };
      // Providers often put profile and group claims only in the userinfo answer.
      if (oidc.serverMetadata().userinfo_endpoint !== undefined) {
        try {
          const info = await client.fetchUserInfo(oidc, tokens.access_token, idClaims.sub);
          claims = { ...info, ...idClaims };
        } catch (err) {
          throw refusal(err);
        }
      }
      return { claims, idToken: tokens.id_token };
    },

    async endSessionUrl(idToken) {
      const oidc = await configuration();
      if (oidc.serverMetadata().end_session_endpoint === undefined) return undefined;
      return client.buildEndSessionUrl(oidc, {
        client_id: config.clientId,
        post_logout_redirect_uri: config.postLogoutRedirectUri.href,
        ...(idToken === undefined ? {} : { id_token_hint: idToken }),
      });
    },
  };
}

function refusal(err: unknown): HttpError {
  if (err instanceof client.AuthorizationResponseError) {
    return HttpError.badRequest(
      `The sign-in provider refused: ${err.error_description ?? err.error}.`,
    );
  }
  if (err instanceof client.ResponseBodyError) {
    return HttpError.badGateway(`The sign-in provider answered with an error: ${err.error}.`);
  }
  if (err instanceof client.ClientError) {
    return HttpError.badRequest(`The sign-in could not be completed: ${err.message}`);
  }
  return HttpError.badGateway('The sign-in provider could not be reached; try again.');
}
