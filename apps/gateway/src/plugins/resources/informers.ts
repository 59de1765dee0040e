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
import { HttpError } from '../errors/index.js';
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

export interface AcquireOptions {
  /**
   * The person on whose behalf a new informer would start (their id): it counts against their
   * bound until it stops. None for the gateway's own informers (namespace existence).
   */
  owner?: string;
}

export interface InformerHub {
  /**
   * A lease on the scope's informer, started when none runs. Rejects as `client` does (404 for an
   * unknown cluster), and with 429 TooManyInformers when starting one would pass a bound (an idle
   * informer is stopped first to make room when there is one). Wait for `lease.informer.synced`
   * before reading a fresh one.
   */
  acquire(scope: InformerScope, options?: AcquireOptions): Promise<InformerLease>;
  /** The scope's informer when one runs, without holding it. */
  find(scope: InformerScope): InformerView | undefined;
  /** Every informer running now. */
  running(): InformerStatus[];
  /** Stops the informers of a cluster (changed or deleted); their users are told. */
  stopCluster(cluster: string): Promise<void>;
  close(): Promise<void>;
}

export interface InformerBounds {
  /** Informers running at once on one cluster. */
  perCluster: number;
  /** Informers started on behalf of one person running at once (every cluster). */
  perPerson: number;
}

export interface HubOptions {
  /** The client informers act with (the cluster's own credential). */
  client: (cluster: string) => Promise<KubeClient>;
  bounds: InformerBounds;
  /** How long an informer nobody holds keeps running (so a page switch does not relist). */
  idleMs: number;
  onStart?: (informer: SharedInformer) => void;
  onStop?: (informer: SharedInformer) => void;
  onListenerError: (err: unknown) => void;
}

interface Slot {
  scope: InformerScope;
  owner: string | undefined;
  started: Promise<SharedInformer>;
  informer: SharedInformer | undefined;
  /** When the last lease was let go; undefined while leased or not yet leased. */
  idleSince: number | undefined;
}

/** Whether nobody holds the slot's informer now (it only waits for its idle timer). */
const isIdle = (slot: Slot): boolean =>
  slot.idleSince !== undefined && slot.informer !== undefined && slot.informer.users === 0;

export function tooManyInformers(bound: 'cluster' | 'person', limit: number, cluster: string) {
  const most = String(limit);
  return HttpError.tooManyRequests(
    bound === 'cluster'
      ? `Binnacle keeps at most ${most} lists of cluster "${cluster}" up to date at once (BINNACLE_INFORMERS_PER_CLUSTER); they are all in use. Try again when some views have closed.`
      : `One person may keep at most ${most} lists up to date at once (BINNACLE_INFORMERS_PER_PERSON); yours are all in use. Close some views and try again.`,
    { code: 'TooManyInformers' },
  );
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

  /**
   * Refuses a new informer past a bound; when an idle one a person started (no lease, waiting for
   * its timer) is in the way, that one stops instead, the one idle longest first.
   */
  const admit = (scope: InformerScope, owner: string | undefined): void => {
    const { perCluster, perPerson } = options.bounds;
    const bounds: [(slot: Slot) => boolean, number, 'cluster' | 'person'][] = [
      [(slot) => slot.scope.cluster === scope.cluster, perCluster, 'cluster'],
    ];
    if (owner !== undefined) bounds.push([(slot) => slot.owner === owner, perPerson, 'person']);
    for (const [counts, limit, bound] of bounds) {
      const mine = [...slots].filter(([, slot]) => counts(slot));
      if (mine.length < limit) continue;
      // the gateway's own (namespace existence) stay: a flood would only restart them
      const idle = mine
        .filter(([, slot]) => slot.owner !== undefined && isIdle(slot))
        .sort(([, a], [, b]) => (a.idleSince ?? 0) - (b.idleSince ?? 0))[0];
      if (idle === undefined) throw tooManyInformers(bound, limit, scope.cluster);
      void stop(idle[1], idle[0], 'idle');
    }
  };

  const start = (key: string, scope: InformerScope, owner: string | undefined): Slot => {
    admit(scope, owner);
    const slot: Slot = {
      scope,
      owner,
      idleSince: undefined,
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
    slot.idleSince = undefined;
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
        slot.idleSince = Date.now();
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
    acquire: async (given, acquireOptions = {}) => {
      const scope = normalize(given);
      const key = scopeKey(scope);
      // An informer may stop between the start and this continuation (its cluster dropped): then
      // the next round starts a fresh one with the cluster's new client.
      for (let round = 0; round < 3; round += 1) {
        if (closed) throw new Error('the informer hub is closed');
        const slot = slots.get(key) ?? start(key, scope, acquireOptions.owner);
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
