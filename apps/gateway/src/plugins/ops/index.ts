import type { FastifyInstance } from 'fastify';
import routes from './routes.js';

// Liveness and readiness; later issues add the store and keyring to readiness, metrics and docs.
export default async function ops(app: FastifyInstance): Promise<void> {
  await app.register(routes);
}
