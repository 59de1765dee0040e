import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { healthResponse, readyResponse } from './schemas.js';

export default function routes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { schema: { response: { 200: healthResponse } } }, () => ({
    status: 'ok' as const,
  }));

  // Ready when the store answers and the keyring holds its active key.
  app.get(
    '/readyz',
    { schema: { response: { 200: readyResponse, 503: readyResponse } } },
    async (_request, reply) => {
      const checks = { store: false, keyring: app.keyring.activeKeyId !== '' };
      try {
        await sql`select 1`.execute(app.db);
        checks.store = true;
      } catch (err) {
        app.log.warn({ err }, 'readiness: the store does not answer');
      }
      const ready = checks.store && checks.keyring;
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks });
    },
  );
  return Promise.resolve();
}
