// Pod logs and pod exec over WebSockets (the protocol is packages/contract's streams.ts): the
// upstream is opened as the person (clusters.clientFor), paced by the browser, aborted when the
// browser leaves, and every session is in the audit record.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { streamMetrics } from './metrics.js';
import { defaultHighWater } from './outbound.js';
import routes from './routes.js';
import { defaultShells } from './shell.js';

export interface StreamsOptions {
  /** An exec session with no input or output for this long is closed (default 30 minutes). */
  execIdleMs?: number;
  /** Shells tried in order when the browser names no command (default bash, then sh). */
  shells?: string[][];
  /** How long a shell that may be missing has to show it runs (default 1 s; see attempt.ts). */
  shellProbeMs?: number;
  /** Bytes waiting in a browser's socket beyond which the upstream is paused (default 1 MiB). */
  highWater?: number;
}

/** On shutdown, upstreams get this long to end once their browsers are gone. */
const upstreamCloseWaitMs = 2000;

function streams(app: FastifyInstance, options: StreamsOptions): Promise<void> {
  const shells = options.shells ?? defaultShells;
  if (shells.length === 0 || shells.some((shell) => shell.length === 0)) {
    return Promise.reject(new Error('streams: every shell needs a command, and one is needed'));
  }
  // On close (after the sockets plugin has closed every browser socket, which aborts the
  // upstreams), wait for the upstreams to end before the clusters' clients are closed.
  const serving = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(serving),
      new Promise((resolve) => {
        timer = setTimeout(resolve, upstreamCloseWaitMs);
      }),
    ]);
    clearTimeout(timer);
  });
  routes(app, {
    serving: (session) => {
      serving.add(session);
      void session.finally(() => serving.delete(session));
    },
    metrics: streamMetrics(app.metrics.registry),
    highWater: options.highWater ?? defaultHighWater,
    exec: {
      shells,
      idleMs: options.execIdleMs ?? 30 * 60_000,
      probeMs: options.shellProbeMs ?? 1000,
    },
  });
  return Promise.resolve();
}

export default fp(streams, {
  name: 'streams',
  dependencies: ['sockets', 'clusters', 'audit', 'rbac'],
  fastify: '5.x',
});
