// Cluster records: kubeconfig import and validation, sealed credentials, one client per cluster
// (cached, dropped on change), and a health check of every cluster on a timer.
import type { InClusterOptions, KubeClient } from '@binnacle/kube';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ClustersConfig } from '../../config/clusters.js';
import {
  createClusterAddresses,
  type ClusterAddressConfig,
  type Resolve,
} from './addresses/policy.js';
import { createClientCache, type ClusterUser } from './clients.js';
import type { ClustersContext } from './context.js';
import { createHealthMonitor, type ClusterHealth } from './health.js';
import { importPolicy } from './kubeconfig.js';
import routes from './routes.js';
import { clusterIds, clusterState } from './store.js';
import { isClusterId } from './names.js';
import { upstreamObserver } from './metrics.js';

export type { ClusterUser } from './clients.js';
export type { ClusterHealth } from './health.js';

export interface Clusters {
  /**
   * The cluster's client, acting with the stored credential. Rejects with a 404 HttpError for a
   * cluster that does not exist (or an id that could not be one).
   */
  client: (id: string) => Promise<KubeClient>;
  /**
   * The client to serve `user` with: in `impersonate` mode it carries Impersonate-User/-Group for
   * them (so the cluster's RBAC and audit see the person); in `gateway` mode it is `client(id)`.
   */
  clientFor: (id: string, user: ClusterUser) => Promise<KubeClient>;
  /** The last health check of a cluster (all null before the first). */
  health: (id: string) => ClusterHealth;
  /**
   * Tells `listener` when a cluster's client is dropped (the cluster was changed or deleted), so
   * whoever keeps something made with it (informers) lets go. Returns the unsubscribe function.
   */
  onDropped: (listener: (id: string) => void) => () => void;
  /**
   * The cluster's version as stored now (it changes with every change of the cluster), or
   * undefined when it is gone; connections compare it with the version they opened under.
   */
  version: (id: string) => Promise<number | undefined>;
}

declare module 'fastify' {
  interface FastifyInstance {
    clusters: Clusters;
  }
}

export interface ClustersOptions extends ClustersConfig {
  /** Where the in-cluster service account is read from; the pod's own by default (tests). */
  inCluster?: InClusterOptions;
  /** Time allowed for one health check, in ms (default 5 s). */
  healthTimeoutMs?: number;
  /** Time a cluster's API server gets to answer a call, in ms (BINNACLE_UPSTREAM_TIMEOUT_SECONDS). */
  upstreamTimeoutMs?: number;
  /** Where cluster servers may be (BINNACLE_CLUSTER_*_CIDRS). */
  addresses: ClusterAddressConfig;
  /** Resolves host names for the address checks; the system resolver by default (tests). */
  resolve?: Resolve;
}

function clusters(app: FastifyInstance, options: ClustersOptions): Promise<void> {
  const addresses = createClusterAddresses(options.addresses, options.resolve);
  const clients = createClientCache({
    addressPolicy: addresses.connectPolicy,
    db: app.db,
    keyring: app.keyring,
    inCluster: options.inCluster,
    observe: upstreamObserver(app),
    timeoutMs: options.upstreamTimeoutMs,
  });
  const monitor = createHealthMonitor({
    list: () => clusterIds(app.db),
    client: clients.client,
    intervalMs: options.healthIntervalSeconds * 1000,
    timeoutMs: options.healthTimeoutMs ?? 5000,
    log: app.log,
  });
  app.decorate('clusters', {
    client: clients.client,
    clientFor: clients.clientFor,
    health: monitor.health,
    onDropped: clients.onDropped,
    version: async (id) =>
      isClusterId(id) ? (await clusterState(app.db, id))?.updatedAt : undefined,
  } satisfies Clusters);
  // A cluster changed on another replica: its client here goes too (and what was made with it).
  if (app.hasDecorator('revocation')) {
    app.revocation.on(
      async (event) => {
        if (event.clusterId !== undefined) await clients.drop(event.clusterId);
        return [];
      },
      { last: true },
    );
  }

  app.addHook('onReady', () => {
    monitor.start();
    return Promise.resolve();
  });
  // Runs before the db plugin's (onClose hooks run in reverse order of registration).
  app.addHook('onClose', async () => {
    await monitor.stop();
    await clients.closeAll();
  });

  const context: ClustersContext = {
    app,
    clients,
    monitor,
    policy: importPolicy(options.importPolicy, addresses),
    addresses,
    inCluster: options.inCluster,
  };
  routes(context);
  return Promise.resolve();
}

export default fp(clusters, { name: 'clusters', dependencies: ['db', 'keyring'], fastify: '5.x' });
