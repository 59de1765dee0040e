// What the cluster routes share: the client cache, the health monitor, the import policy, and the
// one way clusters are added (names checked, credentials sealed, rows written together).
import { randomUUID } from 'node:crypto';
import type { InClusterOptions, KubeconfigPolicy } from '@binnacle/kube';
import type { FastifyInstance } from 'fastify';
import type { IdentityMode } from '../db/schema.js';
import type { ClusterAddresses } from './addresses/policy.js';
import { HttpError } from '../errors/index.js';
import type { ClientCache } from './clients.js';
import { sealCredential, type StoredCredential } from './credential.js';
import type { HealthMonitor } from './health.js';
import {
  findCluster,
  insertClusters,
  isUniqueViolation,
  takenNames,
  type ClusterRecord,
} from './store.js';

export interface ClustersContext {
  app: FastifyInstance;
  clients: ClientCache;
  monitor: HealthMonitor;
  policy: KubeconfigPolicy;
  /** Where cluster servers may be (checked on registration and on every connection). */
  addresses: ClusterAddresses;
  inCluster: InClusterOptions | undefined;
}

export interface ClusterView {
  id: string;
  name: string;
  server: string;
  identityMode: IdentityMode;
  createdAt: string;
  updatedAt: string;
  health: ReturnType<HealthMonitor['health']>;
}

export function view(context: ClustersContext, record: ClusterRecord): ClusterView {
  return {
    id: record.id,
    name: record.name,
    server: record.server,
    identityMode: record.identityMode,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    health: context.monitor.health(record.id),
  };
}

/** Closes the connections on a changed or deleted cluster, on every replica. */
export async function revoke(
  context: ClustersContext,
  event: {
    cause: 'cluster-changed' | 'cluster-deleted';
    clusterId: string;
    by: string | undefined;
  },
): Promise<void> {
  const { app } = context;
  if (!app.hasDecorator('revocation')) return;
  const { by, ...rest } = event;
  await app.revocation.raise({ ...rest, ...(by !== undefined ? { by } : {}) });
}

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

export function nameTaken(names: readonly string[]): HttpError {
  const several = names.length > 1;
  return HttpError.conflict(
    `${several ? 'Clusters named' : 'A cluster named'} ${quoted(names)} already ${several ? 'exist' : 'exists'}; choose another name.`,
    { details: { names } },
  );
}

/**
 * Adds clusters, all or none: 409 naming every name already taken. Each credential is sealed with
 * its cluster's id; the first health check starts right away.
 */
export async function addClusters(
  context: ClustersContext,
  options: {
    clusters: readonly { name: string; server: string; credential: StoredCredential }[];
    identityMode: IdentityMode;
    createdBy: string | undefined;
  },
): Promise<ClusterView[]> {
  const { app } = context;
  const names = options.clusters.map((c) => c.name);
  const taken = await takenNames(app.db, names);
  if (taken.length > 0) throw nameTaken(taken);
  const rows = options.clusters.map((cluster) => {
    const id = randomUUID();
    return {
      id,
      name: cluster.name,
      server: cluster.server,
      identityMode: options.identityMode,
      sealed: sealCredential(app.keyring, { clusterId: id, credential: cluster.credential }),
    };
  });
  try {
    await insertClusters(app.db, { clusters: rows, createdBy: options.createdBy, now: Date.now() });
  } catch (err) {
    // another request took a name between the check and the insert
    if (isUniqueViolation(err)) {
      const now = await takenNames(app.db, names);
      throw nameTaken(now.length > 0 ? now : names);
    }
    throw err;
  }
  const views: ClusterView[] = [];
  for (const row of rows) {
    void context.monitor.check(row.id);
    const record = await findCluster(app.db, row.id);
    if (record !== undefined) views.push(view(context, record));
  }
  app.log.info(
    { clusters: rows.map((r) => ({ id: r.id, name: r.name })), by: options.createdBy },
    'clusters added',
  );
  return views;
}

export async function addOne(
  context: ClustersContext,
  options: {
    cluster: { name: string; server: string; credential: StoredCredential };
    identityMode: IdentityMode;
    createdBy: string | undefined;
  },
): Promise<ClusterView> {
  const { cluster, identityMode, createdBy } = options;
  const [created] = await addClusters(context, { clusters: [cluster], identityMode, createdBy });
  if (created === undefined) throw new Error(`cluster ${cluster.name} vanished after insert`);
  return created;
}
