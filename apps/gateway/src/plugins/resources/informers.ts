// The informer hub: one shared informer per (cluster, resource, scope), started on first use,
// reference-counted by leases, and stopped after an idle period without any. However many lists
// and live subscriptions look at a scope, the API server sees one watch.
//
// Informers act with the cluster's stored credential (`app.clusters.client`), never as a person:
// one cache then serves everyone, and the gateway's RBAC decides per person what of it they see
// (the routes and the live plugin check before they read it). In `impersonate` mode this means
// cached reads are authorized by the gateway's roles, while changes still go as the person.
import type { InformerHealth, KubeClient } from '@binnacle/kube';
import { resourceKey } from '@binnacle/resources';
import {
  scopeKey,
  SharedInformer,
  type InformerScope,
  type InformerView,
  type StopReason,
} from './shared.js';

export type { CachedObject, Change, ChangeType, InformerScope, InformerView } from './shared.js';
export type { StopReason } from './shared.js';

/** A hold on a shared informer; the informer runs while any lease on it is held. */
export interface InformerLease {
  readonly informer: InformerView;
  /** Lets go (once; later calls do nothing). */
  release(): void;
}

export interface InformerStatus {
  cluster: string;
  /** The registry key: `pods`, `deployments.apps`. */
  resource: string;
  /** '' for every namespace (or a cluster-scoped kind). */
  namespace: string;
  users: number;
  synced: boolean;
  objects: number;
  health: InformerHealth;
}

export interface InformerHub {
  /**
   * A lease on the scope's informer, started when none runs. Rejects as `client` does (404 for an
   * unknown cluster). Wait for `lease.informer.synced` before reading a fresh one.
   */
  acquire(scope: InformerScope): Promise<InformerLease>;
  /** The scope's informer when one runs, without holding it. */
  find(scope: InformerScope): InformerView | undefined;
  /** Every informer running now. */
  running(): InformerStatus[];
  /** Stops the informers of a cluster (changed or deleted); their users are told. */
  stopCluster(cluster: string): Promise<void>;
  close(): Promise<void>;
}

export interface HubOptions {
  /** The client informers act with (the cluster's own credential). */
  client: (cluster: string) => Promise<KubeClient>;
  /** How long an informer nobody holds keeps running (so a page switch does not relist). */
  idleMs: number;
  onStart?: (informer: SharedInformer) => void;
  onStop?: (informer: SharedInformer) => void;
  onListenerError: (err: unknown) => void;
}

interface Slot {
  scope: InformerScope;
  started: Promise<SharedInformer>;
  informer: SharedInformer | undefined;
}

export function createInformerHub(
  options: HubOptions,
): InformerHub & { informers: () => SharedInformer[] } {
  const slots = new Map<string, Slot>();
  let closed = false;

  const stop = async (slot: Slot, key: string, reason: StopReason): Promise<void> => {
    if (slots.get(key) === slot) slots.delete(key);
    const informer = await slot.started.catch(() => undefined);
    if (informer === undefined || informer.stopped) return;
    await informer.stop(reason);
    options.onStop?.(informer);
  };

  const start = (key: string, scope: InformerScope): Slot => {
    const slot: Slot = {
      scope,
      informer: undefined,
      started: options.client(scope.cluster).then((client) => {
        const informer = new SharedInformer(client, scope, {
          onListenerError: options.onListenerError,
          // The next request starts afresh (the credential or the cluster may have changed).
          onRefused: () => void stop(slot, key, 'refused'),
        });
        slot.informer = informer;
        options.onStart?.(informer);
        // stopped (cluster dropped, hub closed) while the client was on its way
        if (slots.get(key) !== slot) void stop(slot, key, closed ? 'closed' : 'cluster');
        return informer;
      }),
    };
    slots.set(key, slot);
    slot.started.catch(() => {
      if (slots.get(key) === slot) slots.delete(key);
    });
    return slot;
  };

  const lease = (key: string, slot: Slot, informer: SharedInformer): InformerLease => {
    informer.users += 1;
    clearTimeout(informer.idleTimer);
    informer.idleTimer = undefined;
    let held = true;
    return {
      informer,
      release: () => {
        if (!held) return;
        held = false;
        informer.users -= 1;
        if (informer.users > 0 || informer.stopped) return;
        informer.idleTimer = setTimeout(() => {
          if (informer.users === 0) void stop(slot, key, 'idle');
        }, options.idleMs);
        informer.idleTimer.unref();
      },
    };
  };

  const normalize = (scope: InformerScope): InformerScope => ({
    ...scope,
    namespace: scope.entry.namespaced && scope.namespace ? scope.namespace : undefined,
  });

  const informers = (): SharedInformer[] =>
    [...slots.values()].flatMap(({ informer }) =>
      informer === undefined || informer.stopped ? [] : [informer],
    );

  return {
    informers,
    acquire: async (given) => {
      const scope = normalize(given);
      const key = scopeKey(scope);
      // An informer may stop between the start and this continuation (its cluster dropped): then
      // the next round starts a fresh one with the cluster's new client.
      for (let round = 0; round < 3; round += 1) {
        if (closed) throw new Error('the informer hub is closed');
        const slot = slots.get(key) ?? start(key, scope);
        const informer = await slot.started;
        if (!informer.stopped && slots.get(key) === slot) return lease(key, slot, informer);
      }
      throw new Error(`the informer of ${resourceKey(scope.entry)} kept stopping while starting`);
    },
    find: (scope) => {
      const informer = slots.get(scopeKey(normalize(scope)))?.informer;
      return informer === undefined || informer.stopped ? undefined : informer;
    },
    running: () =>
      informers().map((informer) => ({
        cluster: informer.cluster,
        resource: resourceKey(informer.entry),
        namespace: informer.namespace ?? '',
        users: informer.users,
        synced: informer.isSynced(),
        objects: informer.size,
        health: informer.health(),
      })),
    stopCluster: async (cluster) => {
      const mine = [...slots].filter(([, slot]) => slot.scope.cluster === cluster);
      await Promise.all(mine.map(([key, slot]) => stop(slot, key, 'cluster')));
    },
    close: async () => {
      closed = true;
      await Promise.all([...slots].map(([key, slot]) => stop(slot, key, 'closed')));
    },
  };
}
