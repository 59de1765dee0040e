// One subscription of a live socket: which cached objects it selects, and the changes waiting for
// the next batch. Changes of one object within a batch window are coalesced (added then modified
// is one `added`; added then deleted is nothing), so the waiting set never holds more than one
// entry per object: it is bounded by the informer's size.
import {
  LiveType,
  WatchEventType,
  type LiveServerMessage,
  type Subscribe,
  type WatchEvent,
} from '@binnacle/contract';
import type { KubeObject } from '@binnacle/resources';
import type {
  CachedObject,
  Change,
  InformerLease,
  InformerView,
  StopReason,
} from '../resources/index.js';

type EventType = WatchEvent['type'];

interface Pending {
  type: EventType;
  object: CachedObject;
}

export interface SubscriptionHooks {
  /** Something waits to be sent. */
  dirty: () => void;
  /** The informer stopped under the subscription. */
  stopped: (reason: StopReason) => void;
}

/** What one change means to a subscriber who sees only the objects `matches` selects. */
function seenAs(change: Change, matches: (object: KubeObject) => boolean): EventType | undefined {
  const wasIn =
    change.type === 'added'
      ? false
      : change.type === 'deleted'
        ? matches(change.object)
        : change.old === undefined || matches(change.old);
  const isIn = change.type !== 'deleted' && matches(change.object);
  if (wasIn && isIn) return WatchEventType.modified;
  if (isIn) return WatchEventType.added;
  return wasIn ? WatchEventType.deleted : undefined;
}

/** The net effect of two changes of one object within a window; undefined when none is left. */
function coalesce(first: EventType, next: EventType): EventType | undefined {
  if (first === WatchEventType.added) return next === WatchEventType.deleted ? undefined : first;
  if (first === WatchEventType.deleted)
    return next === WatchEventType.added ? WatchEventType.modified : next;
  return next === WatchEventType.deleted ? next : WatchEventType.modified;
}

export class Subscription {
  readonly id: string;
  readonly mode: Subscribe['mode'];
  #ended = false;
  readonly #matches: (object: KubeObject) => boolean;
  readonly #pending = new Map<string, Pending>();
  #changed = 0;
  #lease: InformerLease | undefined;
  readonly #unlisten: (() => void)[] = [];

  constructor(options: {
    id: string;
    mode: Subscribe['mode'];
    matches: (object: KubeObject) => boolean;
  }) {
    this.id = options.id;
    this.mode = options.mode;
    this.#matches = options.matches;
  }

  /** Keeps the lease, so that ending the subscription releases it even before it starts. */
  hold(lease: InformerLease): void {
    if (this.#ended) lease.release();
    else this.#lease = lease;
  }

  /**
   * Starts listening to the (synced) informer and answers the first message: the snapshot of the
   * selected objects, or the acknowledgement of a `changes` subscription. Listening and reading
   * happen in one turn, so no change falls between them.
   */
  start(informer: InformerView, hooks: SubscriptionHooks): LiveServerMessage {
    this.#unlisten.push(
      informer.onChange((change) => {
        if (this.#record(change)) hooks.dirty();
      }),
      informer.onStop(hooks.stopped),
    );
    if (this.mode === 'changes') return { type: LiveType.subscribed, id: this.id };
    return {
      type: LiveType.snapshot,
      id: this.id,
      items: informer.objects().filter(this.#matches),
    };
  }

  /** The batch waiting to be sent (and forgets it); undefined when nothing waits. */
  drain(): LiveServerMessage | undefined {
    if (this.mode === 'changes') {
      if (this.#changed === 0) return undefined;
      const count = this.#changed;
      this.#changed = 0;
      return { type: LiveType.changed, id: this.id, count };
    }
    if (this.#pending.size === 0) return undefined;
    const events = [...this.#pending.values()];
    this.#pending.clear();
    return { type: LiveType.events, id: this.id, events };
  }

  /** Once unsubscribed, failed or closed: work still under way must drop its result. */
  isEnded(): boolean {
    return this.#ended;
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const unlisten of this.#unlisten) unlisten();
    this.#pending.clear();
    this.#lease?.release();
  }

  #record(change: Change): boolean {
    const type = seenAs(change, this.#matches);
    if (type === undefined) return false;
    if (this.mode === 'changes') {
      this.#changed += 1;
      return true;
    }
    const { metadata } = change.object;
    const key = metadata.uid ?? `${metadata.namespace ?? ''}/${metadata.name}`;
    const before = this.#pending.get(key);
    const net = before === undefined ? type : coalesce(before.type, type);
    if (net === undefined) this.#pending.delete(key);
    else this.#pending.set(key, { type: net, object: change.object });
    return this.#pending.size > 0;
  }
}
