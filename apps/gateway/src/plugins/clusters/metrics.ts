// Upstream latency per cluster, in the app's Prometheus registry when the ops plugin provides one.
import type { FastifyInstance } from 'fastify';
import { Histogram } from 'prom-client';

export type UpstreamObserver = (observed: {
  cluster: string;
  method: string;
  status: number;
  seconds: number;
}) => void;

export function upstreamObserver(app: FastifyInstance): UpstreamObserver | undefined {
  if (!app.hasDecorator('metrics')) return undefined;
  const histogram = new Histogram({
    name: 'binnacle_upstream_request_duration_seconds',
    help: "Time until a cluster's API server answered (headers), by cluster id, method and status (0: no answer)",
    labelNames: ['cluster', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [app.metrics.registry],
  });
  return ({ cluster, method, status, seconds }) => {
    histogram.observe({ cluster, method, status: String(status) }, seconds);
  };
}
