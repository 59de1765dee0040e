// What every stream socket needs, set up synchronously as the socket opens (before any await, so
// no close or error can slip by): metrics, the abort signal for the upstream, backpressured
// sending and the session's audit record.
import type { AuthUser } from '../auth/types.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from '@fastify/websocket';
import { sessionAudit, type SessionAudit, type StreamKind } from './audit.js';
import type { StreamMetrics } from './metrics.js';
import { outbound, type Outbound } from './outbound.js';
import type { PodParams } from './schemas.js';

export interface StreamContext {
  app: FastifyInstance;
  request: FastifyRequest;
  socket: WebSocket;
  user: AuthUser;
  params: PodParams;
  out: Outbound;
  /** Aborted as soon as the browser's socket closes: every upstream call takes it. */
  signal: AbortSignal;
  /** The close code of the browser's socket, once closed. */
  closeCode: () => number | undefined;
  audit: SessionAudit;
  metrics: StreamMetrics;
  /** Counts a message from the browser. */
  received: () => void;
}

export function openStream(options: {
  app: FastifyInstance;
  request: FastifyRequest;
  socket: WebSocket;
  kind: StreamKind;
  params: PodParams;
  metrics: StreamMetrics;
  highWater: number;
}): StreamContext {
  const { app, request, socket, kind } = options;
  const controller = new AbortController();
  // A revoked socket's upstream ends at once, without waiting for the close handshake.
  app.sockets.track(socket, {
    kind,
    request,
    abort: () => {
      controller.abort();
    },
  });
  let closeCode: number | undefined;
  socket.once('close', (code: number) => {
    closeCode = code;
    controller.abort();
  });
  socket.on('error', (err) => {
    request.log.debug({ err }, 'stream socket error');
  });
  // The guard ran before the upgrade, so the user is there; a socket without one is refused.
  const user = request.user;
  if (user === undefined) throw new Error('a stream socket opened without a user');
  return {
    app,
    request,
    socket,
    user,
    params: options.params,
    out: outbound(socket, {
      highWater: options.highWater,
      count: () => {
        app.sockets.message(kind, 'out');
      },
    }),
    signal: controller.signal,
    closeCode: () => closeCode,
    audit: sessionAudit({ app, request, kind, params: options.params }),
    metrics: options.metrics,
    received: () => {
      app.sockets.message(kind, 'in');
    },
  };
}
