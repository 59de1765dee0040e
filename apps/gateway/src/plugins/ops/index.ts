import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { registerDocs } from './docs.js';
import { registerMetrics } from './metrics.js';
import routes from './routes.js';

// Liveness, readiness, Prometheus metrics and the OpenAPI document. Registered before the other
// route plugins, so that the document sees their routes.
async function ops(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  registerMetrics(app);
  await registerDocs(app);
  await app.register(routes);
}

export default fp(ops, { name: 'ops', dependencies: ['db', 'keyring'], fastify: '5.x' });
