// Who is calling: a bearer access token (a JWT of ours) or a personal access token. No credential
// leaves `request.user` undefined; a credential that does not hold up is refused at once.
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../errors/index.js';
import type { AuthContext } from './context.js';
import type { Credential } from './person.js';
import { AccessTokenError } from './signing.js';
import { checkToken, isTokenLike } from './tokens.js';
import type { AuthUser } from './types.js';

const bearer = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

function unauthorized(message: string): HttpError {
  return HttpError.unauthorized(message);
}

export interface Caller {
  user: AuthUser;
  /** The session family, for access tokens. */
  sessionId?: string;
  credential: Credential;
}

export async function authenticate(
  context: AuthContext,
  request: FastifyRequest,
): Promise<Caller | undefined> {
  const rbac = request.routeOptions.config.rbac;
  // Public routes (sign-in, refresh, sign-out) ignore a stale access token the client still sends.
  if (rbac !== undefined && 'public' in rbac) return undefined;
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const credential = bearer.exec(header.trim())?.[1];
  if (credential === undefined) {
    throw unauthorized('Send the token as "Authorization: Bearer <token>".');
  }
  return isTokenLike(credential)
    ? fromPersonalToken(context, credential)
    : fromAccessToken(context, credential);
}

async function fromPersonalToken(context: AuthContext, token: string): Promise<Caller> {
  const result = await checkToken(context.db, token, Date.now());
  switch (result.kind) {
    case 'ok':
      return { user: result.user, credential: { kind: 'token', id: result.tokenId } };
    case 'expired':
      throw unauthorized('This personal access token has expired; create a new one.');
    case 'revoked':
      throw unauthorized('This personal access token was revoked; create a new one.');
    case 'invalid':
    case 'disabled':
      throw unauthorized('This personal access token is not valid.');
  }
}

async function fromAccessToken(context: AuthContext, token: string): Promise<Caller> {
  let claims;
  try {
    claims = await context.accessTokens.verify(token);
  } catch (err) {
    if (err instanceof AccessTokenError && err.expired) {
      throw unauthorized('Your access token has expired; refresh it or sign in again.');
    }
    throw unauthorized('This access token is not valid; sign in again.');
  }
  // Sign-out, refresh-token reuse and disabling end a session before its access token expires;
  // a change of the person's groups or roles ends the access tokens issued before it.
  const state = await context.sessions.accessState({
    userId: claims.user.id,
    familyId: claims.sessionId,
    generation: claims.generation,
    now: Date.now(),
  });
  if (state === 'ended') throw unauthorized('Your session has ended; sign in again.');
  if (state === 'changed') {
    throw unauthorized('Your groups or roles changed; refresh your access token.');
  }
  return {
    user: claims.user,
    sessionId: claims.sessionId,
    credential: { kind: 'session', id: claims.sessionId },
  };
}
