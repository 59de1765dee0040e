// Registry-driven REST over the clusters (list, get, delete, scale) and the informer hub behind
// lists and live views, decorated as `app.informers`.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { InformersConfig } from '../../config/informers.js';
import { createAdmission, type Admission } from './admission.js';
import { createInformerHub, type InformerHub } from './informers.js';
import { informerMetrics } from './metrics.js';
import routes from './routes.js';

export type {
  CachedObject,
  Change,
  ChangeType,
  InformerHub,
  InformerLease,
  InformerScope,
  InformerStatus,
  InformerView,
  StopReason,
} from './informers.js';
export { synced } from './sync.js';
export type { Admission } from './admission.js';
export type { AcquireOptions } from './informers.js';
export { objectFilter } from './query.js';

declare module 'fastify' {
  interface FastifyInstance {
    informers: InformerHub;
    /** What a list or subscription checks before it may start an informer (see admission.ts). */
    informerAdmission: Admission;
  }
}

export interface ResourcesOptions extends Partial<InformersConfig> {
  /** How long an informer nobody uses keeps running, in ms (default 60 s). */
  informerIdleMs?: number;
  /** Longest wait for a fresh informer's first list, in ms (default 30 s). */
  syncTimeoutMs?: number;
}

function resources(app: FastifyInstance, options: ResourcesOptions): Promise<void> {
  const metrics = informerMetrics(app.metrics.registry, () => hub.informers());
  const hub = createInformerHub({
    client: (cluster) => app.clusters.client(cluster),
    idleMs: options.informerIdleMs ?? 60_000,
    bounds: {
      perCluster: options.informersPerCluster ?? 100,
      perPerson: options.informersPerPerson ?? 20,
    },
    onStart: metrics.started,
    onStop: metrics.stopped,
    onListenerError: (err) => {
      app.log.error({ err }, 'an informer listener failed');
    },
  });
  app.decorate('informers', hub satisfies InformerHub);
  const syncTimeoutMs = options.syncTimeoutMs ?? 30_000;
  const admission = createAdmission({ hub, health: app.clusters.health, syncTimeoutMs });
  app.decorate('informerAdmission', admission);

  // A changed or deleted cluster's client closes: its informers stop first, their users are told.
  const unsubscribe = app.clusters.onDropped((cluster) => {
    void hub.stopCluster(cluster);
  });
  // Runs before the clusters plugin closes the clients (onClose hooks run in reverse order).
  app.addHook('onClose', async () => {
    unsubscribe();
    await hub.close();
  });

  routes(app, { hub, admission, syncTimeoutMs });
  return Promise.resolve();
}

export default fp(resources, {
  name: 'resources',
  dependencies: ['ops', 'rbac', 'clusters'],
  fastify: '5.x',
});
