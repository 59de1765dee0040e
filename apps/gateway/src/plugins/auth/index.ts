// Who is calling: local accounts (argon2id), sessions (ES256 access tokens and rotating refresh
// cookies), WebSocket tickets and personal access tokens. Authorization is the rbac plugin's job.
import { EventEmitter } from 'node:events';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthConfig } from '../../config/auth.js';
import { HttpError } from '../errors/index.js';
import { authenticate } from './authenticate.js';
import { ensureFirstAdmin } from './bootstrap.js';
import { prepareVerification } from './credentials.js';
import { issueSession, type AuthContext, type AuthEvents } from './context.js';
import { LoginLimiter } from './limiter.js';
import { originAllowed } from './origin.js';
import { checkPerson, raise, type Credential, type PersonCheck } from './person.js';
import routes, { apiPrefix } from './routes.js';
import { createSessionStore } from './sessions.js';
import { loadAccessTokens } from './signing.js';
import { TicketStore } from './tickets.js';
import { bumpTokenGeneration } from './users.js';
import { authEventName, type AuthEvent, type AuthUser, type SessionGrant } from './types.js';

export type { AuthEvents } from './context.js';
export type { Credential, PersonCheck } from './person.js';
export * from './types.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The caller, or a 401 "Sign in first." for a request without credentials. */
    requireUser(request: FastifyRequest): AuthUser;
    /** Starts a session for someone signed in another way (OIDC, host SSO); sets the cookie. */
    issueSessionFor(reply: FastifyReply, user: AuthUser): Promise<SessionGrant>;
    /** The user of a WebSocket ticket; a ticket works once, within seconds of its issue. */
    consumeTicket(ticket: string): AuthUser | undefined;
    /** Whether a request's Origin may open a WebSocket: none, our own, or an allowed one. */
    checkOrigin(request: FastifyRequest): boolean;
    /** Emits an `AuthEvent` (sign-in, refusal, sign-out, refresh-token reuse) under 'auth'. */
    authEvents: AuthEvents;
    /** What the person of a request (or of a ticket) proved who they are with. */
    credentialOf(user: AuthUser): Credential | undefined;
    /** Whether the person's access still holds as stored now, and who they are now. */
    checkPerson(user: AuthUser, credential: Credential | undefined): Promise<PersonCheck>;
    /** Ends the access tokens of these people (their roles changed); refresh issues new ones. */
    revokeAccessTokens(who: {
      usernames?: readonly string[];
      groups?: readonly string[];
    }): Promise<void>;
  }
  interface FastifyRequest {
    /** Set for every request that carries a valid credential. */
    user: AuthUser | undefined;
  }
}

const sweepEveryMs = 60_000;
const sessionSweepEveryMs = 60 * 60_000;

async function auth(app: FastifyInstance, config: AuthConfig): Promise<void> {
  if (!app.hasReplyDecorator('setCookie')) await app.register(cookie);

  const context: AuthContext = {
    config,
    db: app.db,
    accessTokens: await loadAccessTokens({
      db: app.db,
      keyring: app.keyring,
      ttlSeconds: config.accessTokenTtlSeconds,
    }),
    sessions: createSessionStore(app.db, {
      idleMs: config.sessionIdleHours * 3_600_000,
      maxMs: config.sessionMaxDays * 86_400_000,
    }),
    limiter: new LoginLimiter(config.login),
    tickets: new TicketStore(),
    events: new EventEmitter(),
    sessionIds: new WeakMap(),
    credentials: new WeakMap(),
  };
  await prepareVerification();
  await ensureFirstAdmin({
    db: app.db,
    config,
    log: app.log,
    print: (text) => process.stdout.write(text),
  });

  app.decorateRequest('user', undefined);
  app.decorate('authEvents', context.events);
  app.decorate('requireUser', (request: FastifyRequest): AuthUser => {
    if (request.user === undefined) throw HttpError.unauthorized('Sign in first.');
    return request.user;
  });
  app.decorate('issueSessionFor', (reply: FastifyReply, user: AuthUser) =>
    issueSession(context, reply, user),
  );
  app.decorate('credentialOf', (user: AuthUser) => context.credentials.get(user));
  app.decorate('checkPerson', (user: AuthUser, credential: Credential | undefined) =>
    checkPerson(context, user, credential),
  );
  app.decorate(
    'revokeAccessTokens',
    (who: { usernames?: readonly string[]; groups?: readonly string[] }) =>
      bumpTokenGeneration(context.db, who),
  );
  app.decorate('consumeTicket', (ticket: string) => context.tickets.consume(ticket));
  const allowedOrigins = new Set(config.allowedOrigins);
  app.decorate('checkOrigin', (request: FastifyRequest) =>
    originAllowed(
      { origin: request.headers.origin, protocol: request.protocol, host: request.host },
      allowedOrigins,
    ),
  );

  // Sign-outs and replayed refresh tokens (from every sign-in route, SSO's too) end sessions:
  // the connections opened with them close.
  const revokeOn = (event: AuthEvent): void => {
    const cause =
      event.type === 'logout'
        ? 'signed-out'
        : event.type === 'refresh-reuse'
          ? 'session-revoked'
          : undefined;
    if (cause === undefined || event.userId === undefined) return;
    void raise(app, { cause, userId: event.userId, by: event.username });
  };
  context.events.on(authEventName, revokeOn);

  app.addHook('onRequest', async (request) => {
    const caller = await authenticate(context, request);
    if (caller === undefined) return;
    request.user = caller.user;
    context.credentials.set(caller.user, caller.credential);
    if (caller.sessionId !== undefined) context.sessionIds.set(request, caller.sessionId);
  });

  const sweepMemory = setInterval(() => {
    context.limiter.sweep();
    context.tickets.sweep();
  }, sweepEveryMs);
  sweepMemory.unref();
  // Expired session families go at start and hourly; close waits for a sweep in flight, and runs
  // before the db plugin's (hooks close in reverse order).
  let sweeping: Promise<void> = Promise.resolve();
  const sweepSessions = (): void => {
    sweeping = context.sessions.sweep(Date.now()).catch((err: unknown) => {
      app.log.warn({ err }, 'could not delete expired sessions');
    });
  };
  const sessionTimer = setInterval(sweepSessions, sessionSweepEveryMs);
  sessionTimer.unref();
  sweepSessions();
  app.addHook('onClose', async () => {
    clearInterval(sweepMemory);
    clearInterval(sessionTimer);
    await sweeping;
  });

  await app.register((api) => routes(api, context), { prefix: apiPrefix });
}

export default fp(auth, { name: 'auth', dependencies: ['db', 'keyring'], fastify: '5.x' });
