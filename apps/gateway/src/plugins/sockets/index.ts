// WebSockets for the live and stream protocols: the upgrade guard (Origin, ticket, permission,
// sockets per person, all before the upgrade), metrics of open sockets and messages, a heartbeat,
// the registry that closes sockets whose access ended (registry.ts), an absolute lifetime, and
// close frames on shutdown.
import websocket from '@fastify/websocket';
import { CloseCode } from '@binnacle/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from '@fastify/websocket';
import { requestIds } from '../../logging.js';
import { HttpError } from '../errors/index.js';
import { authorize } from '../rbac/index.js';
import { socketMetrics, type SocketKind } from './metrics.js';
import { socketRegistry, type Tracked } from './registry.js';

export type { SocketKind } from './metrics.js';
export type { Tracked } from './registry.js';

export interface TrackSocket {
  kind: SocketKind;
  /** The upgrade request: who, with what credential, allowed what. */
  request: FastifyRequest;
  /** Ends the upstream at once when the socket is revoked (before the close handshake ends). */
  abort?: () => void;
}

export interface Sockets {
  /**
   * For a WebSocket route's `preValidation`: refuses a foreign Origin (403), a missing, spent or
   * expired ticket (401) and a person whose roles do not allow the route's `config.rbac` (403).
   * A request already carrying a credential (a personal access token) needs no ticket.
   */
  guard: (request: FastifyRequest) => Promise<void>;
  /**
   * Counts the socket in the metrics and pings it; one that stops answering is dropped. It is
   * checked again on revocation events and every `recheckMs` against the person as stored now,
   * and closed after `maxLifetimeMs` (close codes 4401, 4403, 4410, 4440 of the contract). Every
   * socket, tracked or not, gets a 1001 close frame when the gateway stops (and a refusal with
   * 503 once it is stopping).
   */
  track: (socket: WebSocket, options: TrackSocket) => Tracked;
  /** Counts a message sent or received on a socket of this kind. */
  message: (kind: SocketKind, direction: 'in' | 'out') => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    sockets: Sockets;
  }
}

/** Browser messages larger than this close the socket (a paste into a terminal fits easily). */
const maxPayload = 1024 * 1024;
/** On shutdown, sockets get this long to finish their close handshake. */
const closeWaitMs = 3000;

export interface SocketsOptions {
  /**
   * A tracked socket is pinged this often and dropped when the previous ping got no pong, so a
   * browser that vanished (sleep, network loss) does not keep its upstream open (default 30 s).
   */
  heartbeatMs?: number;
  /** How often every socket is checked against the person as stored now (default 30 s). */
  recheckMs?: number;
  /** No socket stays open longer than this (default 12 h). */
  maxLifetimeMs?: number;
  /** Sockets one person may hold open on this replica (default 30). */
  perUser?: number;
}

function readTicket(request: FastifyRequest): string | undefined {
  const query = request.query;
  if (typeof query !== 'object' || query === null) return undefined;
  const value: unknown = Reflect.get(query, 'ticket');
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function sockets(app: FastifyInstance, options: SocketsOptions): Promise<void> {
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  let closing = false;
  const metrics = socketMetrics(app.metrics.registry);
  const perUser = options.perUser ?? 30;
  // Upgrades that passed the guard and are not tracked yet: counted too, so many upgrades at once
  // cannot all pass before the first is tracked. A reservation the handshake never uses expires.
  const reserved = new Map<string, number[]>();
  const reservationMs = 10_000;
  const reservations = (userId: string, now: number): number[] => {
    const live = (reserved.get(userId) ?? []).filter((until) => until > now);
    if (live.length === 0) reserved.delete(userId);
    else reserved.set(userId, live);
    return live;
  };
  const registry = socketRegistry({
    app,
    log: app.log,
    recheckMs: options.recheckMs ?? 30_000,
    maxLifetimeMs: options.maxLifetimeMs ?? 12 * 3_600_000,
  });
  const unsubscribe = app.revocation.on((event) => registry.revoked(event));
  app.addHook('onClose', () => {
    unsubscribe();
    registry.stop();
    return Promise.resolve();
  });

  await app.register(websocket, {
    options: { maxPayload },
    // Every socket gets a close frame saying the gateway is going away; the handlers abort their
    // upstreams on close. Sockets that do not answer in time are cut; then the server stops
    // taking upgrades. All of the server's sockets, tracked or not, so none holds the exit up.
    preClose: function (done) {
      closing = true;
      const sockets = [...app.websocketServer.clients];
      const closed = sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) {
              resolve();
              return;
            }
            socket.once('close', () => {
              resolve();
            });
            socket.close(CloseCode.goingAway, 'The gateway is restarting; reconnect in a moment.');
          }),
      );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, closeWaitMs);
      });
      void Promise.race([Promise.all(closed), timeout]).then(() => {
        clearTimeout(timer);
        for (const socket of app.websocketServer.clients) socket.terminate();
        app.websocketServer.close(() => {
          done();
        });
      });
    },
  });

  // An upgrade to a path that is not a WebSocket route is answered with an HTTP status before any
  // handshake (the websocket plugin would otherwise switch protocols and close at once).
  const socketRoutes = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (route.websocket === true) socketRoutes.add(route.url);
  });
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (request.ws && (route === undefined || !socketRoutes.has(route))) {
      done(HttpError.notFound(`No WebSocket at ${request.url.split('?')[0] ?? ''}.`));
      return;
    }
    done();
  });

  app.decorate('sockets', {
    guard: async (request: FastifyRequest) => {
      if (closing) {
        throw HttpError.unavailable('The gateway is restarting; reconnect in a moment.', {
          code: 'ShuttingDown',
        });
      }
      if (!app.checkOrigin(request)) {
        refusedUpgrade(app, request, { status: 403, reason: 'origin' });
        throw HttpError.forbidden('This page may not open a connection to Binnacle.', {
          code: 'OriginNotAllowed',
        });
      }
      if (request.user === undefined) {
        const ticket = readTicket(request);
        const user = ticket === undefined ? undefined : app.consumeTicket(ticket);
        if (user === undefined) {
          refusedUpgrade(app, request, {
            status: 401,
            reason: ticket === undefined ? 'no-ticket' : 'ticket',
          });
          throw HttpError.unauthorized(
            'The connection ticket is missing, used or expired; open the view again.',
          );
        }
        request.user = user;
      }
      // A refusal by the person's roles is recorded by the permission hook (rbac → audit).
      await authorize(request);
      const now = Date.now();
      const pending = reservations(request.user.id, now);
      if (registry.countOf(request.user.id) + pending.length >= perUser) {
        throw HttpError.tooManyRequests(
          `You have ${String(perUser)} connections open, the most allowed (BINNACLE_SOCKETS_PER_USER); close a terminal, log or tab first.`,
          { code: 'TooManySockets' },
        );
      }
      reserved.set(request.user.id, [...pending, now + reservationMs]);
    },
    track: (socket: WebSocket, { kind, request, abort }: TrackSocket) => {
      metrics.opened(kind);
      let alive = true;
      socket.on('pong', () => {
        alive = true;
      });
      const heartbeat = setInterval(() => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, heartbeatMs);
      heartbeat.unref();
      socket.once('close', (code: number) => {
        clearInterval(heartbeat);
        metrics.closed(kind, code);
      });
      const user = request.user;
      if (user === undefined) throw new Error('a socket was tracked without a user');
      reservations(user.id, Date.now()).shift();
      const params = request.params;
      const pod: unknown =
        typeof params === 'object' && params !== null ? Reflect.get(params, 'name') : undefined;
      return registry.track(socket, {
        kind,
        user,
        credential: app.credentialOf(user),
        access: app.rbac.accessOf(request),
        pod: typeof pod === 'string' ? pod : undefined,
        abort,
      });
    },
    message: metrics.message,
  } satisfies Sockets);
}

/** An upgrade refused before the permission check (Origin, ticket) leaves an audit row. */
function refusedUpgrade(
  app: FastifyInstance,
  request: FastifyRequest,
  refusal: { status: number; reason: 'origin' | 'no-ticket' | 'ticket' },
): void {
  if (!app.hasDecorator('audit')) return;
  const origin = request.headers.origin;
  app.audit
    .record({
      actor: request.user?.username ?? 'anonymous',
      action: `${request.method} ${request.routeOptions.url ?? ''}`,
      result: 'denied',
      ip: request.ip,
      detail: {
        status: refusal.status,
        path: request.url.split('?')[0] ?? '',
        ...requestIds(request),
        reason: refusal.reason,
        ...(refusal.reason === 'origin' && origin !== undefined
          ? { origin: origin.slice(0, 200) }
          : {}),
      },
      anonymous: request.user === undefined,
    })
    .catch((err: unknown) => {
      request.log.error({ err }, 'a refused upgrade was not recorded');
    });
}

export default fp(sockets, {
  name: 'sockets',
  dependencies: ['ops', 'auth', 'rbac', 'clusters', 'revocation'],
  fastify: '5.x',
});
