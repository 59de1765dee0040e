import type { FastifyInstance } from 'fastify';
import { healthResponse } from './schemas.js';

export default function routes(app: FastifyInstance): Promise<void> {
  const health = { schema: { response: { 200: healthResponse } } };
  app.get('/healthz', health, () => ({ status: 'ok' as const }));
  app.get('/readyz', health, () => ({ status: 'ok' as const }));
  return Promise.resolve();
}
