// Prometheus metrics: one registry per app (so tests can build several), HTTP metrics here, and
// `app.metrics.registry` for other plugins' own (WebSocket, upstream latency, informer health).
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { registry: Registry };
  }
}

export function registerMetrics(app: FastifyInstance, options: { serve: boolean }): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'binnacle_' });
  const requests = new Counter({
    name: 'binnacle_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'binnacle_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.decorate('metrics', { registry });

  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the raw URL: label values stay few and carry no names or ids.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });

  if (!options.serve) return;
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
