// Every open socket with whom and what it serves, so that it can be checked again: at once when a
// revocation event concerns it, and on a timer against the person as stored now (disabled?
// session or token still live? roles still allow it? cluster unchanged?). A socket that no longer
// holds closes with a code and a reason a person can read, and its upstream is aborted at once.
import { CloseCode } from '@binnacle/contract';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AuthUser, Credential } from '../auth/index.js';
import type { ClosedConnection, RevocationEvent } from '../revocation/index.js';
import type { AccessRequest } from '../rbac/index.js';
import type { SocketKind } from './metrics.js';

export interface TrackOptions {
  kind: SocketKind;
  user: AuthUser;
  credential: Credential | undefined;
  /** What the socket's route was allowed (logs, exec); none for the live socket. */
  access: AccessRequest | undefined;
  /** For the audit record: the pod of a stream. */
  pod?: string | undefined;
  /** Ends the upstream (exec process, log follow, subscriptions) at once. */
  abort?: (() => void) | undefined;
}

export interface Tracked {
  /** Told the person as stored now after each check that passed (live re-checks its grants). */
  onUser: (listener: (user: AuthUser) => Promise<void>) => void;
}

interface Entry extends TrackOptions {
  socket: WebSocket;
  cluster: string | undefined;
  /** The cluster's version when the socket opened; undefined until read. */
  clusterVersion: Promise<number | undefined> | undefined;
  userListener: ((user: AuthUser) => Promise<void>) | undefined;
  ended: boolean;
}

type Verdict = { code: number; reason: string } | undefined;

/** Close reasons travel in a close frame, which holds at most 123 bytes. */
function shortReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let cut = reason;
  while (Buffer.byteLength(`${cut}…`) > 123) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export interface RegistryOptions {
  app: FastifyInstance;
  log: FastifyBaseLogger;
  recheckMs: number;
  maxLifetimeMs: number;
  /** Sockets that get no close handshake this long after the close frame are cut. */
  closeWaitMs?: number;
}

export function socketRegistry(options: RegistryOptions) {
  const { app, log } = options;
  const entries = new Set<Entry>();
  const closeWaitMs = options.closeWaitMs ?? 3000;

  const end = (entry: Entry, verdict: NonNullable<Verdict>): void => {
    if (entry.ended) return;
    entry.ended = true;
    entries.delete(entry);
    try {
      entry.abort?.();
    } catch (err) {
      log.warn({ err }, 'a socket upstream could not be aborted');
    }
    const { socket } = entry;
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) {
      socket.close(verdict.code, shortReason(verdict.reason));
      const cut = setTimeout(() => {
        socket.terminate();
      }, closeWaitMs);
      cut.unref();
      socket.once('close', () => {
        clearTimeout(cut);
      });
    }
  };

  const verdictFor = async (entry: Entry): Promise<{ verdict: Verdict; user?: AuthUser }> => {
    const person = await app.checkPerson(entry.user, entry.credential);
    if (!person.ok) return { verdict: { code: CloseCode.revoked, reason: person.reason } };
    if (entry.cluster !== undefined) {
      const [before, now] = await Promise.all([
        entry.clusterVersion,
        app.clusters.version(entry.cluster),
      ]);
      if (now === undefined) {
        return { verdict: { code: CloseCode.clusterChanged, reason: 'The cluster was removed.' } };
      }
      if (before !== undefined && now !== before) {
        const reason = 'The cluster was changed; open the view again.';
        return { verdict: { code: CloseCode.clusterChanged, reason } };
      }
    }
    if (entry.access !== undefined && !(await app.rbac.can(person.user, entry.access))) {
      const { verb, resource, namespace } = entry.access;
      const where = namespace === '' ? '' : ` in namespace "${namespace}"`;
      const reason = `Your roles no longer allow ${verb} on ${resource}${where}.`;
      return { verdict: { code: CloseCode.forbidden, reason } };
    }
    return { verdict: undefined, user: person.user };
  };

  /** Checks one socket; closes it when it no longer holds. Undefined when it stays. */
  const check = async (entry: Entry): Promise<ClosedConnection | undefined> => {
    let result;
    try {
      result = await verdictFor(entry);
    } catch (err) {
      // The store did not answer: the socket stays until a check can decide.
      log.warn({ err }, 'a socket could not be checked again');
      return undefined;
    }
    if (entry.ended) return undefined;
    if (result.verdict === undefined) {
      if (result.user !== undefined) await entry.userListener?.(result.user);
      return undefined;
    }
    end(entry, result.verdict);
    return {
      kind: entry.kind,
      username: entry.user.username,
      code: result.verdict.code,
      ...(entry.cluster !== undefined ? { cluster: entry.cluster } : {}),
      ...(entry.access?.namespace ? { namespace: entry.access.namespace } : {}),
      ...(entry.pod !== undefined ? { pod: entry.pod } : {}),
    };
  };

  const checkAll = async (which: Iterable<Entry>): Promise<ClosedConnection[]> => {
    const closed = await Promise.all([...which].map(check));
    return closed.filter((c): c is ClosedConnection => c !== undefined);
  };

  const concerned = (event: RevocationEvent): Entry[] =>
    [...entries].filter((entry) => {
      if (event.userId !== undefined) return entry.user.id === event.userId;
      // the live socket may hold subscriptions on any cluster
      if (event.clusterId !== undefined) {
        return entry.cluster === event.clusterId || entry.kind === 'live';
      }
      return true;
    });

  const timer = setInterval(() => {
    void checkAll(entries);
  }, options.recheckMs);
  timer.unref();

  return {
    track(socket: WebSocket, track: TrackOptions): Tracked {
      const cluster = track.access?.cluster || undefined;
      const entry: Entry = {
        ...track,
        socket,
        cluster,
        clusterVersion: cluster === undefined ? undefined : app.clusters.version(cluster),
        userListener: undefined,
        ended: false,
      };
      // A version that cannot be read now is not a change; the next check reads it again.
      entry.clusterVersion?.catch(() => undefined);
      entries.add(entry);
      const lifetime = setTimeout(() => {
        const hours = options.maxLifetimeMs / 3_600_000;
        const limit =
          hours >= 1
            ? `${String(Math.round(hours))}-hour`
            : `${String(options.maxLifetimeMs / 1000)}-second`;
        end(entry, {
          code: CloseCode.lifetime,
          reason: `This connection reached its ${limit} limit; open the view again.`,
        });
      }, options.maxLifetimeMs);
      lifetime.unref();
      socket.once('close', () => {
        clearTimeout(lifetime);
        entry.ended = true;
        entries.delete(entry);
      });
      return {
        onUser: (listener) => {
          entry.userListener = listener;
        },
      };
    },
    /** Sockets this person holds open here. */
    countOf(userId: string): number {
      let n = 0;
      for (const entry of entries) if (entry.user.id === userId) n += 1;
      return n;
    },
    async revoked(event: RevocationEvent): Promise<ClosedConnection[]> {
      // Roles or groups changed, maybe on another replica: the cached rules are stale here.
      if (event.clusterId === undefined && event.tokenId === undefined) app.rbac.invalidate();
      return checkAll(concerned(event));
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

export type SocketRegistry = ReturnType<typeof socketRegistry>;
