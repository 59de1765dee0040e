// Upstream streams open now (log requests and exec sessions to the clusters), so an operator can
// see that browsers leaving also ends what they had opened.
import { Gauge, type Registry } from 'prom-client';
import type { StreamKind } from './audit.js';

export interface StreamMetrics {
  opened: (kind: StreamKind) => void;
  closed: (kind: StreamKind) => void;
}

export function streamMetrics(registry: Registry): StreamMetrics {
  const upstreams = new Gauge({
    name: 'binnacle_stream_upstreams',
    help: 'Log streams and exec sessions open to clusters now, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  for (const kind of ['logs', 'exec'] as const) upstreams.set({ kind }, 0);
  return {
    opened: (kind) => {
      upstreams.inc({ kind });
    },
    closed: (kind) => {
      upstreams.dec({ kind });
    },
  };
}
