// One upstream list+watch of a (cluster, resource, scope), shared by everyone who views it: the
// objects (managedFields stripped) indexed by namespace/name, and change listeners.
import {
  Informer,
  KubeError,
  type InformerHealth,
  type KubeClient,
  type KubeObject as WireObject,
} from '@binnacle/kube';
import { resourceKey, type ResourceEntry } from '@binnacle/resources';
import { HttpError } from '../errors/index.js';

/** An object as the cache keeps it: the API server's, without metadata.managedFields. */
export type CachedObject = WireObject & { metadata: { name: string } };

export type ChangeType = 'added' | 'modified' | 'deleted';

export interface Change {
  type: ChangeType;
  object: CachedObject;
  /** The object before a modification. */
  old: CachedObject | undefined;
}

/**
 * Why an informer stopped: nobody used it for a while, its cluster went away, the app closed, or
 * the cluster refused its first list (retrying would only make the person wait).
 */
export type StopReason = 'idle' | 'cluster' | 'closed' | 'refused';

/** Answers of the API server that no retry will change: the credential may not list this kind. */
const lasting: ReadonlySet<number> = new Set([401, 403, 404]);

export interface InformerScope {
  cluster: string;
  entry: ResourceEntry;
  /** A namespace, or undefined (or '') for every namespace and for cluster-scoped kinds. */
  namespace?: string | undefined;
}

/** The cache of one shared informer, as its users see it. */
export interface InformerView {
  readonly cluster: string;
  readonly entry: ResourceEntry;
  /** undefined: every namespace (or a cluster-scoped kind). */
  readonly namespace: string | undefined;
  /** Resolves once the first list is in; rejects (410) when the informer stops before. */
  readonly synced: Promise<void>;
  isSynced(): boolean;
  /** The cached objects (shared: never mutate them). */
  objects(): CachedObject[];
  get(name: string, namespace?: string): CachedObject | undefined;
  readonly size: number;
  health(): InformerHealth;
  onChange(listener: (change: Change) => void): () => void;
  /** Told once, when the informer stops while still in use (its cluster was changed or removed). */
  onStop(listener: (reason: StopReason) => void): () => void;
}

export function scopeKey(scope: InformerScope): string {
  return [scope.cluster, resourceKey(scope.entry), scope.namespace ?? ''].join('\u0000');
}

const nameKey = (name: string, namespace: string | undefined): string =>
  `${namespace ?? ''}/${name}`;

/** The cache's transform: one copy per object, without managedFields (no view needs them). */
export function toCached(object: WireObject): CachedObject {
  const metadata = { ...object.metadata, name: object.metadata.name ?? '' };
  delete metadata.managedFields;
  return { ...object, metadata };
}

export class SharedInformer implements InformerView {
  readonly cluster: string;
  readonly entry: ResourceEntry;
  readonly namespace: string | undefined;
  /** Leases held now. */
  users = 0;
  idleTimer: NodeJS.Timeout | undefined;
  /** Health counters already added to the metrics. */
  readonly counted = { expired: 0, errors: 0 };
  readonly #informer: Informer<CachedObject>;
  readonly #byName = new Map<string, CachedObject>();
  readonly #listeners = new Set<(change: Change) => void>();
  readonly #stopListeners = new Set<(reason: StopReason) => void>();
  #synced = false;
  #rejectSync: (err: Error) => void = () => undefined;
  #stopped = false;
  readonly #onListenerError: (err: unknown) => void;
  readonly synced: Promise<void>;

  constructor(
    client: KubeClient,
    scope: InformerScope,
    hooks: { onListenerError: (err: unknown) => void; onRefused: () => void },
  ) {
    this.#onListenerError = hooks.onListenerError;
    this.cluster = scope.cluster;
    this.entry = scope.entry;
    this.namespace = scope.entry.namespaced && scope.namespace ? scope.namespace : undefined;
    this.#informer = new Informer<CachedObject>(client, {
      type: scope.entry,
      ...(this.namespace !== undefined ? { namespace: this.namespace } : {}),
      transform: toCached,
      streamingList: 'auto',
      onError: (err) => {
        if (this.#synced || !(err instanceof KubeError) || !lasting.has(err.code)) return;
        this.#rejectSync(
          HttpError.of({
            status: err.code === 404 ? 404 : 403,
            code: err.code === 404 ? 'NotFound' : 'Forbidden',
            message: `The cluster refused to list ${scope.entry.title.en.toLowerCase()} with the credential Binnacle holds for it: ${err.message}`,
          }),
        );
        hooks.onRefused();
      },
    });
    this.#informer.on('add', (object) => {
      this.#byName.set(nameKey(object.metadata.name, object.metadata.namespace), object);
      this.#emit({ type: 'added', object, old: undefined });
    });
    this.#informer.on('update', (object, old) => {
      this.#byName.set(nameKey(object.metadata.name, object.metadata.namespace), object);
      this.#emit({ type: 'modified', object, old });
    });
    this.#informer.on('delete', (object) => {
      const key = nameKey(object.metadata.name, object.metadata.namespace);
      // a newer object of the same name (recreated) stays
      if (this.#byName.get(key)?.metadata.uid === object.metadata.uid) this.#byName.delete(key);
      this.#emit({ type: 'deleted', object, old: undefined });
    });
    this.synced = new Promise<void>((resolve, reject) => {
      this.#rejectSync = reject;
      void this.#informer.synced.then(() => {
        this.#synced = true;
        resolve();
      });
    });
    // nobody may be waiting when it stops unsynced
    this.synced.catch(() => undefined);
    this.#informer.start();
  }

  isSynced(): boolean {
    return this.#synced;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  objects(): CachedObject[] {
    return [...this.#byName.values()];
  }

  get(name: string, namespace?: string): CachedObject | undefined {
    return this.#byName.get(nameKey(name, this.entry.namespaced ? namespace : undefined));
  }

  get size(): number {
    return this.#byName.size;
  }

  health(): InformerHealth {
    return this.#informer.health();
  }

  onChange(listener: (change: Change) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onStop(listener: (reason: StopReason) => void): () => void {
    this.#stopListeners.add(listener);
    return () => this.#stopListeners.delete(listener);
  }

  /** Stops the upstream watch; users still holding it are told why. */
  async stop(reason: StopReason): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.idleTimer);
    if (!this.#synced) {
      this.#rejectSync(
        HttpError.gone(
          'The cluster was changed or removed while its objects were loading; try again.',
        ),
      );
    }
    this.#listeners.clear();
    for (const listener of this.#stopListeners) listener(reason);
    this.#stopListeners.clear();
    await this.#informer.stop();
  }

  #emit(change: Change): void {
    // One failing listener must neither starve the others nor break the watch loop.
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }
}
