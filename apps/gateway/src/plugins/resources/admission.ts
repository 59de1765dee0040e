// What is checked before a list or a live subscription may start an informer: that the cluster is
// not already known to be unreachable (503 ClusterUnreachable at once, not a 504 after the sync
// timeout), and that a named namespace exists (404 NamespaceNotFound, and no watch is kept).
//
// Namespace existence is read from one shared informer of the cluster's namespaces, so a flood of
// lists in namespaces that do not exist costs one list+watch in all, never an upstream GET each.
import { findResource, type ResourceEntry } from '@binnacle/resources';
import type { ClusterHealth } from '../clusters/index.js';
import { HttpError } from '../errors/index.js';
import type { InformerHub } from './informers.js';
import { synced } from './sync.js';
import { clusterUnreachable } from './shared.js';

export interface AdmissionOptions {
  hub: InformerHub;
  health: (cluster: string) => ClusterHealth;
  syncTimeoutMs: number;
}

export interface Admission {
  /**
   * Resolves when an informer for the scope may be started or used; rejects with 503
   * ClusterUnreachable or 404 NamespaceNotFound (or 429 when even the namespaces informer cannot
   * start). A scope whose own informer already runs is always admitted.
   */
  check(scope: { cluster: string; entry: ResourceEntry; namespace: string }): Promise<void>;
}

const namespaces = findResource('namespaces');

export function namespaceNotFound(cluster: string, namespace: string): HttpError {
  return HttpError.notFound(`Cluster "${cluster}" has no namespace "${namespace}".`, {
    code: 'NamespaceNotFound',
  });
}

export function createAdmission(options: AdmissionOptions): Admission {
  const { hub, health, syncTimeoutMs } = options;

  /** Whether the namespace exists; undefined when the namespaces cannot be read (403). */
  async function exists(cluster: string, namespace: string): Promise<boolean | undefined> {
    if (namespaces === undefined) return undefined;
    const lease = await hub.acquire({ cluster, entry: namespaces });
    try {
      await synced(lease.informer, syncTimeoutMs);
      return lease.informer.get(namespace) !== undefined;
    } catch (err) {
      // The credential may not list namespaces: then the list itself decides, as before.
      if (err instanceof HttpError && (err.statusCode === 403 || err.statusCode === 404))
        return undefined;
      throw err;
    } finally {
      lease.release();
    }
  }

  return {
    check: async ({ cluster, entry, namespace }) => {
      const scoped = entry.namespaced && namespace !== '';
      if (hub.find({ cluster, entry, namespace: scoped ? namespace : undefined })) return;
      // a running informer over every namespace still answers from its cache
      const wide = scoped && hub.find({ cluster, entry, namespace: undefined }) !== undefined;
      const known = health(cluster);
      if (!wide && known.reachable === false) {
        throw clusterUnreachable(
          cluster,
          `${known.lastError ?? 'its health check failed'} (health check at ${known.checkedAt ?? 'an unknown time'})`,
        );
      }
      if (!scoped) return;
      if ((await exists(cluster, namespace)) === false) throw namespaceNotFound(cluster, namespace);
    },
  };
}
