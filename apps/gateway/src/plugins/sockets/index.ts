// WebSockets for the live and stream protocols: the upgrade guard (Origin, ticket, permission,
// all before the upgrade), metrics of open sockets and messages, a heartbeat, and close frames on
// shutdown.
import websocket from '@fastify/websocket';
import { CloseCode } from '@binnacle/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from '@fastify/websocket';
import { HttpError } from '../errors/index.js';
import { authorize } from '../rbac/index.js';
import { socketMetrics, type SocketKind } from './metrics.js';

export type { SocketKind } from './metrics.js';

export interface Sockets {
  /**
   * For a WebSocket route's `preValidation`: refuses a foreign Origin (403), a missing, spent or
   * expired ticket (401) and a person whose roles do not allow the route's `config.rbac` (403).
   * A request already carrying a credential (a personal access token) needs no ticket.
   */
  guard: (request: FastifyRequest) => Promise<void>;
  /**
   * Counts the socket in the metrics and pings it; one that stops answering is dropped. Every
   * socket, tracked or not, gets a 1001 close frame when the gateway stops (and a refusal with
   * 503 once it is stopping).
   */
  track: (socket: WebSocket, kind: SocketKind) => void;
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

  app.decorate('sockets', {
    guard: async (request: FastifyRequest) => {
      if (closing) {
        throw HttpError.unavailable('The gateway is restarting; reconnect in a moment.', {
          code: 'ShuttingDown',
        });
      }
      if (!app.checkOrigin(request)) {
        throw HttpError.forbidden('This page may not open a connection to Binnacle.', {
          code: 'OriginNotAllowed',
        });
      }
      if (request.user === undefined) {
        const ticket = readTicket(request);
        const user = ticket === undefined ? undefined : app.consumeTicket(ticket);
        if (user === undefined) {
          throw HttpError.unauthorized(
            'The connection ticket is missing, used or expired; open the view again.',
          );
        }
        request.user = user;
      }
      await authorize(request);
    },
    track: (socket: WebSocket, kind: SocketKind) => {
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
    },
    message: metrics.message,
  } satisfies Sockets);
}

export default fp(sockets, {
  name: 'sockets',
  dependencies: ['ops', 'auth', 'rbac'],
  fastify: '5.x',
});
