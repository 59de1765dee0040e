// Sign-in, refresh, sign-out and WebSocket tickets.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpError } from '../errors/index.js';
import {
  clearRefreshCookie,
  client,
  grantFor,
  issueSession,
  record,
  type AuthContext,
} from './context.js';
import { normalizeUsername, verifyPassword } from './credentials.js';
import { duration, type LoginVerdict } from './limiter.js';
import { loginBody, sessionGrant, ticketResponse } from './schemas.js';
import { refreshCookie } from './sessions.js';
import { activeAuthUser, findLocalCredentials, findUser } from './users.js';
import { NoContentSchema } from '@binnacle/contract';

const wrongCredentials = 'Wrong username or password.';
const sessionEnded = 'Your session has ended; sign in again.';

export function sessionRoutes(instance: FastifyInstance, context: AuthContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/auth/login',
    {
      config: { rbac: { public: true }, audit: false },
      schema: { body: loginBody, response: { 200: sessionGrant } },
    },
    async (request, reply) => {
      const { password } = request.body;
      const username = normalizeUsername(request.body.username);
      // A name that breaks the rule is still counted, under what was typed, like any other.
      const key = username ?? request.body.username.trim().toLowerCase();
      const verdict = context.limiter.attempt({ username: key, ip: request.ip });
      if (verdict.kind !== 'allowed') {
        record(context, request, { type: 'login-failed', username: key, reason: verdict.kind });
        throw refusal(reply, verdict);
      }

      const account =
        username === undefined ? undefined : await findLocalCredentials(context.db, username);
      const valid = await verifyPassword(account?.passwordHash ?? null, password);
      if (account === undefined || !valid) {
        context.limiter.failed({ username: key, ip: request.ip });
        record(context, request, {
          type: 'login-failed',
          username: key,
          ...(account ? { userId: account.id } : {}),
          reason: 'bad-credentials',
        });
        throw HttpError.unauthorized(wrongCredentials);
      }
      context.limiter.succeeded({ username: key, ip: request.ip });
      const user = account.disabled
        ? undefined
        : await activeAuthUser(context.db, account.id, 'session');
      if (user === undefined) {
        record(context, request, {
          type: 'login-failed',
          username: key,
          userId: account.id,
          reason: 'disabled',
        });
        throw HttpError.forbidden('This account is disabled; ask an administrator to enable it.');
      }
      return issueSession(context, reply, user);
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: { rbac: { public: true }, audit: false },
      schema: { response: { 200: sessionGrant } },
    },
    async (request, reply) => {
      const token = request.cookies[refreshCookie];
      if (token === undefined || token === '') {
        throw HttpError.unauthorized('Sign in first: there is no session to refresh.');
      }
      const result = await context.sessions.rotate(token, client(request));
      if (result.kind === 'reused') {
        const owner = await findUser(context.db, result.userId);
        record(context, request, {
          type: 'refresh-reuse',
          username: owner?.username ?? '',
          userId: result.userId,
        });
        clearRefreshCookie(context, reply);
        throw HttpError.unauthorized(
          'This session was ended because its refresh token was used twice; sign in again.',
        );
      }
      if (result.kind === 'invalid') {
        clearRefreshCookie(context, reply);
        throw HttpError.unauthorized(sessionEnded);
      }
      const user = await activeAuthUser(context.db, result.userId, 'session');
      if (user === undefined) {
        await context.sessions.endFamily(result.familyId, Date.now());
        clearRefreshCookie(context, reply);
        throw HttpError.unauthorized(sessionEnded);
      }
      return grantFor(context, reply, { user, ...result });
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { rbac: { public: true }, audit: false },
      schema: { response: { 204: NoContentSchema } },
    },
    async (request, reply) => {
      const token = request.cookies[refreshCookie];
      if (token !== undefined && token !== '') {
        const userId = await context.sessions.end(token, Date.now());
        const user = userId === undefined ? undefined : await findUser(context.db, userId);
        if (user !== undefined) {
          record(context, request, { type: 'logout', username: user.username, userId: user.id });
        }
      }
      clearRefreshCookie(context, reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/ticket',
    {
      config: { rbac: { authenticated: true }, audit: false },
      schema: { response: { 200: ticketResponse } },
    },
    (request, reply) => {
      const user = instance.requireUser(request);
      void reply.header('cache-control', 'no-store');
      return context.tickets.issue(user);
    },
  );
}

function refusal(
  reply: FastifyReply,
  verdict: Exclude<LoginVerdict, { kind: 'allowed' }>,
): HttpError {
  const wait = duration(verdict.retryAfterSeconds);
  void reply.header('retry-after', String(verdict.retryAfterSeconds));
  return verdict.kind === 'locked'
    ? HttpError.locked(
        `This account is locked after too many failed sign-ins; try again in ${wait}.`,
      )
    : HttpError.tooManyRequests(`Too many sign-in attempts; try again in ${wait}.`);
}
