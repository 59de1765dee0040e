// Live lists over one WebSocket per browser tab: subscriptions served from the shared informers of
// the resources plugin, checked against the person's roles, batched, with a heartbeat.
import { liveBatchMs, liveHeartbeatMs } from '@binnacle/contract';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { LiveConfig } from '../../config/live.js';
import routes from './routes.js';

export interface LiveOptions extends Partial<LiveConfig> {
  /** Longest wait before a change is sent, in ms (default `liveBatchMs`). */
  batchMs?: number;
  heartbeatMs?: number;
  /** Bytes that may wait in a socket's send buffer before it is closed (default 8 MiB). */
  maxBufferedBytes?: number;
  /** Longest wait for a fresh informer's first list, in ms (default 30 s). */
  syncTimeoutMs?: number;
  /** How often each subscription's permission is checked again, in ms (default 30 s). */
  recheckMs?: number;
}

function live(app: FastifyInstance, options: LiveOptions): Promise<void> {
  routes(app, {
    batchMs: Math.min(options.batchMs ?? liveBatchMs, liveBatchMs),
    heartbeatMs: options.heartbeatMs ?? liveHeartbeatMs,
    maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
    syncTimeoutMs: options.syncTimeoutMs ?? 30_000,
    maxSubscriptions: options.maxSubscriptions ?? 50,
    maxSnapshotBytes: options.maxSnapshotBytes ?? 4 * 1024 * 1024,
    recheckMs: options.recheckMs ?? 30_000,
  });
  return Promise.resolve();
}

export default fp(live, {
  name: 'live',
  dependencies: ['sockets', 'resources', 'rbac'],
  fastify: '5.x',
});
