// list+watch into a store keyed by uid. Watches resume from the last resourceVersion (bookmarks
// keep it fresh); 410 Gone triggers a relist whose differences become ordinary events, so handlers
// see every change once. Failures back off with jitter. `stop()` releases every socket.
import type { KubeClient } from '../client.ts';
import { KubeError } from '../errors.ts';
import type { ResourceType } from '../resource.ts';
import type { KubeObject } from '../types.ts';
import { Backoff, sleep } from './backoff.ts';
import { initialEventsEnd, watch, type WatchEvent } from './watch.ts';

export type InformerEvent = 'add' | 'update' | 'delete';
export type Handler<T> = (object: T, old?: T) => void;

export interface InformerHealth {
  connected: boolean;
  synced: boolean;
  lastEventAt: Date | undefined;
  errorCount: number;
  relists: number;
  /** Times the server answered 410 Gone (our resourceVersion was too old) and we relisted. */
  expired: number;
  resourceVersion: string | undefined;
  lastError: string | undefined;
}

export interface InformerOptions<T extends KubeObject> {
  type: ResourceType;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Applied to every object before it is stored (default: drop metadata.managedFields). */
  transform?: (object: KubeObject) => T;
  /** Told of every failed list or watch (the informer retries on its own, with backoff). */
  onError?: (err: unknown) => void;
  /** Use a streaming list (sendInitialEvents) instead of paged LIST; 'auto' tries it first. */
  streamingList?: boolean | 'auto';
  pageSize?: number;
  /** Start by watching from this resourceVersion (e.g. one kept across restarts) instead of listing. */
  resumeFrom?: string;
  backoff?: { initialMs: number; maxMs: number };
  /** The server ends each watch after about this long, and we resume (default 5 to 10 min). */
  watchTimeoutSeconds?: () => number;
}

/** The default transform: managedFields are large and no view needs them. */
export function stripManagedFields(object: KubeObject): KubeObject {
  if (object.metadata.managedFields === undefined) return object;
  const metadata = { ...object.metadata };
  delete metadata.managedFields;
  return { ...object, metadata };
}

export class Informer<T extends KubeObject = KubeObject> {
  readonly synced: Promise<void>;
  readonly #client: KubeClient;
  readonly #options: InformerOptions<T>;
  readonly #store = new Map<string, T>();
  readonly #handlers: Record<InformerEvent, Set<Handler<T>>> = {
    add: new Set(),
    update: new Set(),
    delete: new Set(),
  };
  readonly #abort = new AbortController();
  readonly #backoff: Backoff;
  #markSynced!: () => void;
  #loop: Promise<void> | undefined;
  #resourceVersion: string | undefined;
  #streaming: boolean;
  #health: InformerHealth = {
    connected: false,
    synced: false,
    lastEventAt: undefined,
    errorCount: 0,
    relists: 0,
    expired: 0,
    resourceVersion: undefined,
    lastError: undefined,
  };

  constructor(client: KubeClient, options: InformerOptions<T>) {
    this.#client = client;
    this.#options = options;
    this.#backoff = new Backoff(options.backoff ?? { initialMs: 800, maxMs: 30_000 });
    this.#streaming = options.streamingList !== false;
    this.#resourceVersion = options.resumeFrom;
    this.synced = new Promise((resolve) => {
      this.#markSynced = resolve;
    });
  }

  on(event: InformerEvent, handler: Handler<T>): () => void {
    this.#handlers[event].add(handler);
    return () => this.#handlers[event].delete(handler);
  }

  start(): this {
    this.#loop ??= this.#run();
    return this;
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
  }

  /** Every stored object (a snapshot array; the objects are shared, do not mutate them). */
  list(): T[] {
    return [...this.#store.values()];
  }

  get(uid: string): T | undefined {
    return this.#store.get(uid);
  }

  get size(): number {
    return this.#store.size;
  }

  health(): InformerHealth {
    return { ...this.#health, resourceVersion: this.#resourceVersion };
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        if (this.#resourceVersion === undefined) {
          if (this.#streaming) await this.#streamingList(signal);
          else await this.#list(signal);
        } else {
          await this.#watch(signal);
        }
      } catch (err) {
        if (this.#stopped()) break;
        this.#health.connected = false;
        this.#health.errorCount += 1;
        this.#health.lastError = err instanceof Error ? err.message : String(err);
        this.#options.onError?.(err);
        if (err instanceof KubeError && err.code === 410) {
          // Our resourceVersion is older than the server keeps: start over from a fresh list.
          this.#resourceVersion = undefined;
          this.#health.expired += 1;
          continue;
        }
        if (
          this.#streaming &&
          this.#options.streamingList === 'auto' &&
          this.#resourceVersion === undefined &&
          isUnsupported(err)
        ) {
          this.#streaming = false;
          continue;
        }
        await sleep(this.#backoff.next(), signal);
      }
    }
    this.#health.connected = false;
  }

  async #list(signal: AbortSignal): Promise<void> {
    const fresh = new Map<string, T>();
    let resourceVersion: string | undefined;
    for await (const page of this.#client.listPages(this.#options.type, {
      ...this.#selectors(),
      limit: this.#options.pageSize ?? 500,
      signal,
    })) {
      for (const item of page.items) {
        const object = this.#transform(item);
        const uid = object.metadata.uid;
        if (uid) fresh.set(uid, object);
      }
      resourceVersion = page.metadata.resourceVersion;
    }
    this.#replace(fresh, resourceVersion);
  }

  async #streamingList(signal: AbortSignal): Promise<void> {
    const fresh = new Map<string, T>();
    let done = false;
    for await (const event of watch(this.#client, this.#options.type, {
      ...this.#selectors(),
      sendInitialEvents: true,
      allowWatchBookmarks: true,
      timeoutSeconds: this.#timeout(),
      signal,
    })) {
      this.#health.connected = true;
      if (!done) {
        if (event.type === 'BOOKMARK') {
          if (event.object.metadata.annotations?.[initialEventsEnd] === 'true') {
            done = true;
            this.#replace(fresh, event.object.metadata.resourceVersion);
          }
          continue;
        }
        const object = this.#transform(event.object);
        const uid = object.metadata.uid;
        if (uid && event.type !== 'DELETED') fresh.set(uid, object);
        else if (uid) fresh.delete(uid);
        continue;
      }
      this.#apply(event);
    }
    // The stream ended before the initial state was complete: list again.
    if (!done) this.#resourceVersion = undefined;
  }

  async #watch(signal: AbortSignal): Promise<void> {
    const started = Date.now();
    let events = 0;
    for await (const event of watch(this.#client, this.#options.type, {
      ...this.#selectors(),
      resourceVersion: this.#resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.#timeout(),
      signal,
    })) {
      this.#health.connected = true;
      events += 1;
      this.#apply(event);
    }
    // A watch the server ends at once, again and again, must not become a busy loop.
    if (events === 0 && Date.now() - started < 1_000) await sleep(this.#backoff.next(), signal);
  }

  #apply(event: WatchEvent): void {
    this.#health.lastEventAt = new Date();
    this.#backoff.reset();
    const rv = event.object.metadata.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (rv) this.#resourceVersion = rv;
      return;
    }
    const object = this.#transform(event.object);
    const uid = object.metadata.uid;
    if (uid) {
      const old = this.#store.get(uid);
      if (event.type === 'DELETED') {
        if (old) {
          this.#store.delete(uid);
          this.#emit('delete', object);
        }
      } else {
        this.#store.set(uid, object);
        this.#emit(old ? 'update' : 'add', object, old);
      }
    }
    if (rv) this.#resourceVersion = rv;
  }

  /** Makes the store equal to a fresh list; the differences become events. */
  #replace(fresh: Map<string, T>, resourceVersion: string | undefined): void {
    if (this.#health.synced) this.#health.relists += 1;
    for (const [uid, old] of this.#store) {
      if (!fresh.has(uid)) {
        this.#store.delete(uid);
        this.#emit('delete', old);
      }
    }
    for (const [uid, object] of fresh) {
      const old = this.#store.get(uid);
      this.#store.set(uid, object);
      if (!old) this.#emit('add', object);
      else if (old.metadata.resourceVersion !== object.metadata.resourceVersion)
        this.#emit('update', object, old);
    }
    this.#resourceVersion = resourceVersion;
    this.#health.connected = true;
    this.#health.lastEventAt = new Date();
    this.#backoff.reset();
    if (!this.#health.synced) {
      this.#health.synced = true;
      this.#markSynced();
    }
  }

  #emit(event: InformerEvent, object: T, old?: T): void {
    for (const handler of this.#handlers[event]) handler(object, old);
  }

  #transform(object: KubeObject): T {
    // Without a transform, T is the stored object shape itself.
    return this.#options.transform
      ? this.#options.transform(object)
      : (stripManagedFields(object) as T);
  }

  #stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  #selectors(): { namespace?: string; labelSelector?: string; fieldSelector?: string } {
    const { namespace, labelSelector, fieldSelector } = this.#options;
    return {
      ...(namespace !== undefined ? { namespace } : {}),
      ...(labelSelector !== undefined ? { labelSelector } : {}),
      ...(fieldSelector !== undefined ? { fieldSelector } : {}),
    };
  }

  #timeout(): number {
    return this.#options.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
  }
}

/** A server without streaming lists refuses sendInitialEvents with a 4xx (not 410, 401 or 403). */
function isUnsupported(err: unknown): boolean {
  return err instanceof KubeError && (err.code === 400 || err.code === 422);
}
