// The signed-in person's own account: who am I, my password, my personal access tokens.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors/index.js';
import type { AuthContext } from './context.js';
import { hashPassword, passwordProblem, verifyPassword } from './credentials.js';
import { duration } from './limiter.js';
import {
  authUser,
  idParams,
  passwordChange,
  tokenCreate,
  tokenCreated,
  tokenList,
} from './schemas.js';
import { raise } from './person.js';
import { revokeUserSessions } from './sessions.js';
import { createToken, listTokens, maxTokensPerUser, revokeToken } from './tokens.js';
import { findLocalCredentials, setPasswordHash } from './users.js';
import { NoContentSchema } from '@binnacle/contract';

const iso = (ms: number): string => new Date(ms).toISOString();

export function accountRoutes(instance: FastifyInstance, context: AuthContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const authenticated = { rbac: { authenticated: true as const } };

  app.get('/me', { config: authenticated, schema: { response: { 200: authUser } } }, (request) =>
    instance.requireUser(request),
  );

  app.post(
    '/me/password',
    {
      config: authenticated,
      schema: { body: passwordChange, response: { 204: NoContentSchema } },
    },
    async (request, reply) => {
      const user = instance.requireUser(request);
      if (user.via !== 'session') {
        throw HttpError.forbidden(
          'Change your password from a signed-in session, not with a personal access token.',
        );
      }
      const account = await findLocalCredentials(context.db, user.username);
      if (account?.passwordHash == null) {
        throw HttpError.conflict(
          'Your account signs in through single sign-on; it has no password here.',
        );
      }
      // The current password is guessable like at sign-in, so it counts against the same limits.
      const verdict = context.limiter.attempt({ username: user.username, ip: request.ip });
      if (verdict.kind !== 'allowed') {
        void reply.header('retry-after', String(verdict.retryAfterSeconds));
        throw HttpError.tooManyRequests(
          `Too many attempts; try again in ${duration(verdict.retryAfterSeconds)}.`,
        );
      }
      const { current, next } = request.body;
      if (!(await verifyPassword(account.passwordHash, current))) {
        context.limiter.failed({ username: user.username, ip: request.ip });
        throw HttpError.badRequest('The current password is wrong.');
      }
      context.limiter.succeeded({ username: user.username, ip: request.ip });
      const problem =
        next === current
          ? 'The new password must differ from the current one.'
          : passwordProblem(next, user.username);
      if (problem !== undefined) throw HttpError.badRequest(problem);
      const now = Date.now();
      const sessionId = context.sessionIds.get(request);
      await context.db.transaction().execute(async (trx) => {
        await setPasswordHash(trx, user.id, await hashPassword(next), now);
        // Other browsers signed in with the old password are signed out; this one stays.
        await revokeUserSessions(trx, user.id, {
          now,
          ...(sessionId ? { exceptFamily: sessionId } : {}),
        });
      });
      request.log.info({ userId: user.id }, 'password changed; other sessions ended');
      await raise(instance, { cause: 'session-revoked', userId: user.id, by: user.username });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/tokens',
    { config: authenticated, schema: { response: { 200: tokenList } } },
    async (request) => {
      const user = instance.requireUser(request);
      const now = Date.now();
      const tokens = await listTokens(context.db, user.id);
      return {
        items: tokens.map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: iso(t.createdAt),
          expiresAt: t.expiresAt === null ? null : iso(t.expiresAt),
          lastUsedAt: t.lastUsedAt === null ? null : iso(t.lastUsedAt),
          expired: t.expiresAt !== null && t.expiresAt <= now,
        })),
      };
    },
  );

  app.post(
    '/tokens',
    { config: authenticated, schema: { body: tokenCreate, response: { 201: tokenCreated } } },
    async (request, reply) => {
      const user = instance.requireUser(request);
      if (user.via !== 'session') {
        throw HttpError.forbidden(
          'Create personal access tokens from a signed-in session, not with another token.',
        );
      }
      const created = await createToken(context.db, {
        userId: user.id,
        name: request.body.name.trim() || 'token',
        expiresInDays: request.body.expiresInDays,
        now: Date.now(),
      });
      if (created === undefined) {
        throw HttpError.conflict(
          `You hold ${maxTokensPerUser} personal access tokens already; revoke one first.`,
        );
      }
      request.log.info({ userId: user.id, tokenId: created.id }, 'personal access token created');
      void reply.header('cache-control', 'no-store');
      return reply.status(201).send({
        id: created.id,
        name: created.name,
        token: created.token,
        createdAt: iso(created.createdAt),
        expiresAt: iso(created.expiresAt),
      });
    },
  );

  app.delete(
    '/tokens/:id',
    { config: authenticated, schema: { params: idParams, response: { 204: NoContentSchema } } },
    async (request, reply) => {
      const user = instance.requireUser(request);
      if (
        !(await revokeToken(context.db, {
          userId: user.id,
          id: request.params.id,
          now: Date.now(),
        }))
      ) {
        throw HttpError.notFound('You have no such personal access token.');
      }
      request.log.info(
        { userId: user.id, tokenId: request.params.id },
        'personal access token revoked',
      );
      await raise(instance, {
        cause: 'token-revoked',
        userId: user.id,
        tokenId: request.params.id,
        by: user.username,
      });
      return reply.status(204).send(null);
    },
  );
}
