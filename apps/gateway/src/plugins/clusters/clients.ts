// One KubeClient (one connection pool) per cluster, made on first use from the unsealed credential
// and cached. Each use checks the record's version in the store, so a cluster changed or deleted
// through another replica is not served from a stale client.
import { KubeClient, type AddressPolicy, type InClusterOptions } from '@binnacle/kube';
import type { Kysely } from 'kysely';
import type { AuthUser } from '../auth/types.js';
import type { Database, IdentityMode } from '../db/schema.js';
import { HttpError } from '../errors/index.js';
import type { Keyring } from '../keyring/index.js';
import { connectionOf, openCredential } from './credential.js';
import type { UpstreamObserver } from './metrics.js';
import { isClusterId } from './names.js';
import { clusterState, findSealed } from './store.js';

/** Who a request acts for, as far as the cluster is concerned. */
export type ClusterUser = Pick<AuthUser, 'username' | 'groups'>;

export interface ClientCache {
  client: (id: string) => Promise<KubeClient>;
  clientFor: (id: string, user: ClusterUser) => Promise<KubeClient>;
  /** Closes and forgets the client of a cluster (after an update or delete). */
  drop: (id: string) => Promise<void>;
  /** Tells `listener` of every drop, before the client closes; returns the unsubscribe function. */
  onDropped: (listener: (id: string) => void) => () => void;
  closeAll: () => Promise<void>;
}

interface Entry {
  version: number;
  identityMode: IdentityMode;
  client: Promise<KubeClient>;
}

/**
 * The groups a person is impersonated with. Groups named `system:…` are Kubernetes' own
 * (`system:masters` is cluster-admin), so a gateway or IdP group by such a name is never passed on.
 */
export function impersonatedGroups(groups: readonly string[]): string[] {
  const own = groups.filter((group) => !group.startsWith('system:'));
  return [...new Set(own), 'system:authenticated'];
}

export function notFound(id: string): HttpError {
  const shown = isClusterId(id) ? `"${id}"` : 'that id';
  return HttpError.notFound(`No cluster has ${shown}.`);
}

export function createClientCache(options: {
  db: Kysely<Database>;
  keyring: Keyring;
  inCluster?: InClusterOptions | undefined;
  userAgent?: string;
  /** Told of every request to a cluster's API server (for upstream latency metrics). */
  observe?: UpstreamObserver | undefined;
  /** Time until a call's response headers (and between body chunks), in ms; 30 s by default. */
  timeoutMs?: number | undefined;
  /** Where connections may go; every client of a registered server follows it. */
  addressPolicy?: AddressPolicy | undefined;
}): ClientCache {
  const { db, keyring } = options;
  const entries = new Map<string, Entry>();
  const dropListeners = new Set<(id: string) => void>();
  let closed = false;

  async function create(id: string): Promise<KubeClient> {
    const sealed = await findSealed(db, id);
    if (sealed === undefined) throw notFound(id);
    const credential = openCredential(keyring, { clusterId: id, sealed });
    const connection = connectionOf(credential, options.inCluster);
    const observe = options.observe;
    // The in-cluster server comes from the pod's own environment, not from a person: it is the
    // Service address of the API server the gateway runs in, internal by nature.
    const addressPolicy = credential.kind === 'in-cluster' ? undefined : options.addressPolicy;
    return new KubeClient(connection, {
      userAgent: options.userAgent ?? 'binnacle-gateway',
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(addressPolicy ? { addressPolicy } : {}),
      ...(observe
        ? {
            onResponse: (o) => {
              observe({ cluster: id, ...o });
            },
          }
        : {}),
    });
  }

  async function drop(id: string): Promise<void> {
    const entry = entries.get(id);
    if (entry === undefined) return;
    entries.delete(id);
    // Informers and streams made with this client stop before it closes under them.
    for (const listener of dropListeners) listener(id);
    const client = await entry.client.catch(() => undefined);
    await client?.close();
  }

  const ensureOpen = (): void => {
    if (closed) throw new Error('the clusters plugin is closed');
  };

  async function entryOf(id: string): Promise<{ client: KubeClient; identityMode: IdentityMode }> {
    ensureOpen();
    if (!isClusterId(id)) throw notFound(id);
    const state = await clusterState(db, id);
    // closing may have begun while the store answered
    ensureOpen();
    if (state === undefined) {
      await drop(id);
      throw notFound(id);
    }
    let entry = entries.get(id);
    if (entry !== undefined && entry.version !== state.updatedAt) {
      await drop(id);
      entry = undefined;
    }
    if (entry === undefined) {
      const made: Entry = {
        version: state.updatedAt,
        identityMode: state.identityMode,
        client: create(id),
      };
      entries.set(id, made);
      // a failed creation is not cached: the next use tries again
      made.client.catch(() => {
        if (entries.get(id) === made) entries.delete(id);
      });
      entry = made;
    }
    return { client: await entry.client, identityMode: entry.identityMode };
  }

  return {
    client: async (id) => (await entryOf(id)).client,
    clientFor: async (id, user) => {
      const { client, identityMode } = await entryOf(id);
      if (identityMode === 'gateway') return client;
      if (user.username.startsWith('system:')) {
        // Kubernetes reserves these names (service accounts, nodes, its own components)
        throw HttpError.forbidden(
          `The user name "${user.username}" is reserved by Kubernetes and cannot be impersonated.`,
        );
      }
      return client.as({ user: user.username, groups: impersonatedGroups(user.groups) });
    },
    drop,
    onDropped: (listener) => {
      dropListeners.add(listener);
      return () => dropListeners.delete(listener);
    },
    closeAll: async () => {
      closed = true;
      await Promise.all([...entries.keys()].map(drop));
    },
  };
}
