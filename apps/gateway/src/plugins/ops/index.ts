import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { OpsConfig } from '../../config/ops.js';
import { registerDocs } from './docs.js';
import { registerMetrics } from './metrics.js';
import routes from './routes.js';

// Liveness, readiness, Prometheus metrics and the OpenAPI document. Registered before the other
// route plugins, so that the document sees their routes. Metrics are always collected (other
// plugins register theirs); /metrics and /k8s-api/docs are served only when the settings say so.
async function ops(app: FastifyInstance, config: OpsConfig): Promise<void> {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  registerMetrics(app, { serve: config.metrics });
  if (config.apiDocs) await registerDocs(app);
  await app.register(routes);
}

export default fp(ops, { name: 'ops', dependencies: ['db', 'keyring'], fastify: '5.x' });
