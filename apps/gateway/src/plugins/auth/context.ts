// What the auth plugin's hooks and routes share: the stores, the limits, and session issuing.
import type { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AuthConfig } from '../../config/auth.js';
import type { Database } from '../db/schema.js';
import type { LoginLimiter } from './limiter.js';
import type { Credential } from './person.js';
import { tokenGeneration } from './users.js';
import { refreshCookie, refreshCookiePath, type SessionStore } from './sessions.js';
import type { AccessTokens } from './signing.js';
import type { TicketStore } from './tickets.js';
import { authEventName, type AuthEvent, type AuthUser, type SessionGrant } from './types.js';

/** Emits an `AuthEvent` under the name `authEventName` ('auth'). */
export type AuthEvents = EventEmitter;

export interface AuthContext {
  config: AuthConfig;
  db: Kysely<Database>;
  accessTokens: AccessTokens;
  sessions: SessionStore;
  limiter: LoginLimiter;
  tickets: TicketStore;
  events: AuthEvents;
  /** The session family of each request that came with an access token. */
  sessionIds: WeakMap<FastifyRequest, string>;
  /** What each authenticated person proved who they are with (kept with a ticket's user too). */
  credentials: WeakMap<AuthUser, Credential>;
}

/** Starts a session for a person who has just proved who they are, and sets the refresh cookie. */
export async function issueSession(
  context: AuthContext,
  reply: FastifyReply,
  user: AuthUser,
): Promise<SessionGrant> {
  const { request } = reply;
  const issued = await context.sessions.start(user.id, client(request));
  const grant = await grantFor(context, reply, { user, ...issued });
  record(context, request, { type: 'login', username: user.username, userId: user.id });
  return grant;
}

/** The access token and refresh cookie for a (new or rotated) refresh token. */
export async function grantFor(
  context: AuthContext,
  reply: FastifyReply,
  session: { user: AuthUser; familyId: string; refreshToken: string; expiresAt: number },
): Promise<SessionGrant> {
  const user: AuthUser = { ...session.user, via: 'session' };
  const generation = await tokenGeneration(context.db, user.id);
  const accessToken = await context.accessTokens.sign(user, {
    sessionId: session.familyId,
    generation,
  });
  reply.setCookie(refreshCookie, session.refreshToken, {
    path: refreshCookiePath,
    httpOnly: true,
    secure: !context.config.insecureCookies,
    sameSite: 'strict',
    maxAge: Math.max(1, Math.floor((session.expiresAt - Date.now()) / 1000)),
  });
  void reply.header('cache-control', 'no-store');
  return { accessToken, expiresIn: context.config.accessTokenTtlSeconds, user };
}

export function clearRefreshCookie(context: AuthContext, reply: FastifyReply): void {
  reply.clearCookie(refreshCookie, {
    path: refreshCookiePath,
    httpOnly: true,
    secure: !context.config.insecureCookies,
    sameSite: 'strict',
  });
}

export function client(request: FastifyRequest): {
  userAgent: string | undefined;
  ip: string;
  now: number;
} {
  return { userAgent: request.headers['user-agent'], ip: request.ip, now: Date.now() };
}

/** Logs a sign-in event (never a secret) and tells the subscribers, such as the audit plugin. */
export function record(
  context: AuthContext,
  request: FastifyRequest,
  event: Omit<AuthEvent, 'ip' | 'requestId'>,
): void {
  const full: AuthEvent = { ...event, ip: request.ip, requestId: request.id };
  request.log.info({ authEvent: full }, describe(full));
  try {
    context.events.emit(authEventName, full);
  } catch (err) {
    // A failing subscriber must not fail the sign-in.
    request.log.error({ err }, 'an auth event subscriber failed');
  }
}

function describe(event: AuthEvent): string {
  switch (event.type) {
    case 'login':
      return 'signed in';
    case 'login-failed':
      return 'sign-in refused';
    case 'logout':
      return 'signed out';
    case 'refresh-reuse':
      return 'a spent refresh token was presented again; its session family is revoked';
  }
}
