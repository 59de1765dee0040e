// WebSocket metrics: sockets open now, sockets closed by close code, messages by direction.
import { Counter, Gauge, type Registry } from 'prom-client';

export type SocketKind = 'live' | 'logs' | 'exec';

export function socketMetrics(registry: Registry) {
  const open = new Gauge({
    name: 'binnacle_websocket_connections',
    help: 'WebSocket connections open now, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const closed = new Counter({
    name: 'binnacle_websocket_closed_total',
    help: 'WebSocket connections closed, by kind and close code',
    labelNames: ['kind', 'code'] as const,
    registers: [registry],
  });
  const messages = new Counter({
    name: 'binnacle_websocket_messages_total',
    help: 'WebSocket messages, by kind and direction (in: from the browser)',
    labelNames: ['kind', 'direction'] as const,
    registers: [registry],
  });
  for (const kind of ['live', 'logs', 'exec'] as const) open.set({ kind }, 0);
  return {
    opened: (kind: SocketKind) => {
      open.inc({ kind });
    },
    closed: (kind: SocketKind, code: number) => {
      open.dec({ kind });
      closed.inc({ kind, code: String(code) });
    },
    message: (kind: SocketKind, direction: 'in' | 'out') => {
      messages.inc({ kind, direction });
    },
  };
}
