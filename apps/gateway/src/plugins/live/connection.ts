// One live socket: its subscriptions, the batch timer, the heartbeat, and the bound on what may
// wait in the socket's buffer. Listeners are attached in the constructor, before any await.
import {
  CloseCode,
  decodeMessage,
  LiveClientMessageSchema,
  LiveType,
  type LiveServerMessage,
  type Subscribe,
} from '@binnacle/contract';
import { findResource, rbacResource } from '@binnacle/resources';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from '@fastify/websocket';
import type { RawData } from 'ws';
import type { AuthUser } from '../auth/types.js';
import { HttpError } from '../errors/index.js';
import type { Rbac } from '../rbac/index.js';
import { fromKubeError } from '../errors/index.js';
import { objectFilter, synced, type Admission, type InformerHub } from '../resources/index.js';
import { Subscription } from './subscription.js';

export interface LiveSettings {
  batchMs: number;
  heartbeatMs: number;
  /** A socket with more than this many bytes waiting to be sent is closed (a reader too slow). */
  maxBufferedBytes: number;
  syncTimeoutMs: number;
  /** Subscriptions one socket may hold (BINNACLE_LIVE_MAX_SUBSCRIPTIONS). */
  maxSubscriptions: number;
  /** Bytes of JSON one snapshot may take (BINNACLE_LIVE_MAX_SNAPSHOT_BYTES). */
  maxSnapshotBytes: number;
  /** How often the person's permission for each subscription is asked again, in ms. */
  recheckMs: number;
}

/** What a subscription needs the person to be allowed: list and watch of a resource in a place. */
interface Grant {
  cluster: string;
  /** The namespace, '*' for every namespace, '' for a cluster-scoped kind. */
  namespace: string;
  /** The RBAC name (`apps/deployments`). */
  resource: string;
  /** For messages: how the person named the place. */
  where: string;
}

export interface LiveContext {
  hub: InformerHub;
  admission: Admission;
  rbac: Rbac;
  log: FastifyBaseLogger;
  /** Counts a message in the socket metrics. */
  count: (direction: 'in' | 'out') => void;
  /** Told of each subscription the person's roles refuse, at subscribe or on a later check. */
  refused?: (refusal: LiveRefusal) => void;
  settings: LiveSettings;
}

/** A subscription refused by the person's roles, for the audit record. */
export interface LiveRefusal {
  cluster: string;
  namespace: string;
  resource: string;
  message: string;
  /** At subscribe, or on one of the periodic checks of a running subscription. */
  when: 'subscribe' | 'recheck';
}

const size = (bytes: number): string =>
  bytes < 1024 * 1024
    ? `${String(Math.ceil(bytes / 1024))} KiB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Close code for a reader that fell too far behind (the standard "try again later"). */
export const tooSlowCloseCode = CloseCode.tooSlow;

export class LiveConnection {
  readonly #socket: WebSocket;
  #user: AuthUser;
  readonly #context: LiveContext;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #grants = new Map<string, Grant>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #recheck: NodeJS.Timeout;
  #flushTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(socket: WebSocket, user: AuthUser, context: LiveContext) {
    this.#socket = socket;
    this.#user = user;
    this.#context = context;
    socket.on('message', (data: RawData, isBinary: boolean) => {
      this.#onMessage(data, isBinary);
    });
    socket.on('close', () => {
      this.#close();
    });
    socket.on('error', (err) => {
      context.log.debug({ err }, 'live socket failed');
      this.#close();
    });
    this.#heartbeat = setInterval(() => {
      this.#send({ type: LiveType.heartbeat, at: Date.now() });
    }, context.settings.heartbeatMs);
    this.#heartbeat.unref();
    // Roles change while sockets stay open: a subscription lives only as long as its permission.
    this.#recheck = setInterval(() => {
      void this.#recheckGrants();
    }, context.settings.recheckMs);
    this.#recheck.unref();
  }

  /** Takes the person as stored now and ends the subscriptions they may no longer have. */
  async recheck(user: AuthUser): Promise<void> {
    this.#user = user;
    await this.#recheckGrants();
  }

  /** Ends every subscription at once (the socket is being closed). */
  end(): void {
    this.#close();
  }

  /** Undefined when allowed; otherwise why not, for the person. */
  async #refusal(grant: Grant): Promise<string | undefined> {
    for (const verb of ['list', 'watch']) {
      const { cluster, namespace, resource } = grant;
      if (!(await this.#context.rbac.can(this.#user, { cluster, namespace, resource, verb }))) {
        return `You may not ${verb} ${resource}${grant.where} of cluster "${cluster}".`;
      }
    }
    return undefined;
  }

  async #recheckGrants(): Promise<void> {
    for (const [id, grant] of this.#grants) {
      let refusal: string | undefined;
      try {
        refusal = await this.#refusal(grant);
      } catch (err) {
        this.#context.log.warn({ err }, 'could not check a live subscription again');
        continue;
      }
      if (refusal !== undefined && this.#grants.get(id) === grant) {
        this.#refused(grant, refusal, 'recheck');
        this.#error(id, 'Forbidden', {
          message: `${refusal} The subscription ended.`,
          status: 403,
        });
      }
    }
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    this.#context.count('in');
    const text = isBinary ? '' : Buffer.isBuffer(data) ? data.toString('utf8') : '';
    const message = decodeMessage(LiveClientMessageSchema, text);
    if (message === undefined) {
      this.#error(undefined, 'BadRequest', {
        message: 'Send subscribe or unsubscribe messages as JSON text.',
        status: 400,
      });
    } else if (message.type === LiveType.subscribe) {
      void this.#subscribe(message);
    } else {
      this.#subscriptions.get(message.id)?.end();
      this.#subscriptions.delete(message.id);
      this.#grants.delete(message.id);
    }
  }

  async #subscribe(message: Subscribe): Promise<void> {
    const { id, cluster, resource, mode } = message;
    if (this.#subscriptions.has(id)) {
      // the subscription of that id goes on
      const message = `Subscription "${id}" exists; unsubscribe it or use another id.`;
      this.#send({ type: LiveType.error, id, code: 'Conflict', message, status: 409 });
      return;
    }
    const { maxSubscriptions } = this.#context.settings;
    if (this.#subscriptions.size >= maxSubscriptions) {
      const most = String(maxSubscriptions);
      this.#error(id, 'TooManySubscriptions', {
        message: `A connection holds at most ${most} subscriptions (BINNACLE_LIVE_MAX_SUBSCRIPTIONS); unsubscribe some first.`,
        status: 429,
      });
      return;
    }
    const entry = findResource(resource);
    if (entry === undefined) {
      this.#error(id, 'NotFound', { message: `There is no resource "${resource}".`, status: 404 });
      return;
    }
    const namespace = message.namespace ?? '';
    if (namespace !== '' && !entry.namespaced) {
      const text = `${entry.title.en} are not namespaced; leave out namespace.`;
      this.#error(id, 'BadRequest', { message: text, status: 400 });
      return;
    }
    let subscription: Subscription;
    try {
      subscription = new Subscription({ id, mode, matches: objectFilter(message) });
    } catch (err) {
      this.#fail(id, err);
      return;
    }
    this.#subscriptions.set(id, subscription);
    try {
      const where = namespace === '' ? 'every namespace' : `namespace "${namespace}"`;
      const grant: Grant = {
        cluster,
        namespace: entry.namespaced ? namespace || '*' : '',
        resource: rbacResource(entry),
        where: entry.namespaced ? ` in ${where}` : '',
      };
      const refusal = await this.#refusal(grant);
      if (refusal !== undefined) {
        this.#refused(grant, refusal, 'subscribe');
        throw HttpError.forbidden(refusal);
      }
      if (subscription.isEnded()) return;
      this.#grants.set(id, grant);
      await this.#context.admission.check({ cluster, entry, namespace });
      if (subscription.isEnded()) return;
      const lease = await this.#context.hub.acquire(
        { cluster, entry, namespace },
        { owner: this.#user.id },
      );
      subscription.hold(lease);
      await synced(lease.informer, this.#context.settings.syncTimeoutMs);
      if (subscription.isEnded()) return;
      const first = subscription.start(lease.informer, {
        dirty: () => {
          this.#schedule();
        },
        stopped: (reason) => {
          if (reason === 'cluster') {
            const message = 'The cluster was changed or removed; subscribe again.';
            this.#error(id, 'Gone', { message, status: 410 });
          }
        },
      });
      const text = JSON.stringify(first);
      const { maxSnapshotBytes } = this.#context.settings;
      if (first.type === LiveType.snapshot && Buffer.byteLength(text) > maxSnapshotBytes) {
        // Never a partial snapshot: the events that follow assume the whole state.
        this.#error(id, 'SnapshotTooLarge', {
          message: `The ${String(first.items.length)} objects take ${size(Buffer.byteLength(text))}, more than the ${size(maxSnapshotBytes)} one subscription may send (BINNACLE_LIVE_MAX_SNAPSHOT_BYTES). Subscribe in mode "changes" and page the list instead, or narrow it with a namespace or selector.`,
          status: 413,
        });
        return;
      }
      this.#sendText(text);
    } catch (err) {
      if (!subscription.isEnded()) this.#fail(id, err);
    }
  }

  #refused(grant: Grant, message: string, when: LiveRefusal['when']): void {
    const { cluster, namespace, resource } = grant;
    try {
      this.#context.refused?.({ cluster, namespace, resource, message, when });
    } catch (err) {
      this.#context.log.error({ err }, 'a refused subscription was not recorded');
    }
  }

  #fail(id: string, err: unknown): void {
    const known = fromKubeError(err);
    // 503 ClusterUnreachable says why (ECONNREFUSED…); other 5xx keep their internals
    if (known instanceof HttpError && (known.statusCode < 500 || known.statusCode === 503)) {
      this.#error(id, known.code, { message: known.message, status: known.statusCode });
      return;
    }
    if (!(known instanceof HttpError))
      this.#context.log.error({ err }, 'a live subscription failed');
    this.#error(id, 'Unavailable', {
      message: 'The cluster did not answer; try again later.',
      status: 503,
    });
  }

  /** Sends an error about a subscription (which ends) or about the connection. */
  #error(id: string | undefined, code: string, what: { message: string; status: number }): void {
    if (id !== undefined) {
      this.#subscriptions.get(id)?.end();
      this.#subscriptions.delete(id);
      this.#grants.delete(id);
    }
    this.#send({ type: LiveType.error, ...(id === undefined ? {} : { id }), code, ...what });
  }

  #schedule(): void {
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined;
      for (const subscription of this.#subscriptions.values()) {
        const batch = subscription.drain();
        if (batch !== undefined) this.#send(batch);
      }
    }, this.#context.settings.batchMs);
  }

  #send(message: LiveServerMessage): void {
    this.#sendText(JSON.stringify(message));
  }

  #sendText(text: string): void {
    const socket = this.#socket;
    if (this.#closed || socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.#context.settings.maxBufferedBytes) {
      // Never an unbounded queue: the browser reconnects and starts from fresh snapshots.
      socket.close(tooSlowCloseCode, 'Updates came faster than this connection took them.');
      this.#close();
      return;
    }
    socket.send(text);
    this.#context.count('out');
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    clearInterval(this.#recheck);
    clearTimeout(this.#flushTimer);
    this.#grants.clear();
    for (const subscription of this.#subscriptions.values()) subscription.end();
    this.#subscriptions.clear();
  }
}
