// The stream protocol: pod logs and pod exec over WebSockets, each opened with a ticket. Every
// message is a JSON text frame whose `type` is one of the constants below.
import { Type, type Static } from 'typebox';
import { apiBase } from './resources.ts';

export const StreamType = {
  // gateway → browser
  started: 'started',
  data: 'data',
  stdout: 'stdout',
  stderr: 'stderr',
  end: 'end',
  exit: 'exit',
  error: 'error',
  // browser → gateway
  stdin: 'stdin',
  resize: 'resize',
  closeStdin: 'close-stdin',
} as const;

/** WebSocket close codes the gateway uses after the upgrade (refusals before it are HTTP 4xx). */
export const CloseCode = {
  normal: 1000,
  /** The gateway is shutting down; reconnect later. */
  goingAway: 1001,
  /** A message broke the protocol. */
  protocol: 1008,
  /** The upstream failed; the last `error` message says why. */
  upstream: 1011,
  /** The browser took messages more slowly than they came; reconnect for a fresh snapshot. */
  tooSlow: 1013,
  /** The person's access ended: disabled, signed out, session or token revoked. */
  revoked: 4401,
  /** The person's roles no longer allow what this connection does. */
  forbidden: 4403,
  /** Nothing moved for too long. */
  idle: 4408,
  /** The cluster was changed or removed. */
  clusterChanged: 4410,
  /** The connection reached its absolute lifetime; reopen the view. */
  lifetime: 4440,
} as const;

const enc = encodeURIComponent;

export const streamPaths = {
  logs: (cluster: string, namespace: string, pod: string) =>
    `${apiBase}/clusters/${enc(cluster)}/namespaces/${enc(namespace)}/pods/${enc(pod)}/logs`,
  exec: (cluster: string, namespace: string, pod: string) =>
    `${apiBase}/clusters/${enc(cluster)}/namespaces/${enc(namespace)}/pods/${enc(pod)}/exec`,
};

const ticket = Type.String({ minLength: 1, maxLength: 128 });

export const LogsQuerySchema = Type.Object({
  ticket,
  container: Type.Optional(Type.String({ maxLength: 253 })),
  follow: Type.Optional(Type.Boolean()),
  tailLines: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  timestamps: Type.Optional(Type.Boolean()),
  previous: Type.Optional(Type.Boolean()),
});
export type LogsQuery = Static<typeof LogsQuerySchema>;

export const ExecQuerySchema = Type.Object({
  ticket,
  container: Type.Optional(Type.String({ maxLength: 253 })),
  /** A command to run instead of a shell; by default bash, falling back to sh. */
  command: Type.Optional(Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 64 })),
  cols: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export type ExecQuery = Static<typeof ExecQuerySchema>;

const errorMessage = Type.Object({
  type: Type.Literal(StreamType.error),
  code: Type.String(),
  message: Type.String(),
});

export const LogsServerMessageSchema = Type.Union([
  Type.Object({ type: Type.Literal(StreamType.started), container: Type.String() }),
  /** Log text; chunks end on line boundaries. */
  Type.Object({ type: Type.Literal(StreamType.data), data: Type.String() }),
  /** The log ended (the container stopped, or the stream was not followed). */
  Type.Object({ type: Type.Literal(StreamType.end) }),
  errorMessage,
]);
export type LogsServerMessage = Static<typeof LogsServerMessageSchema>;

export const ExecClientMessageSchema = Type.Union([
  Type.Object({ type: Type.Literal(StreamType.stdin), data: Type.String({ maxLength: 65_536 }) }),
  Type.Object({
    type: Type.Literal(StreamType.resize),
    cols: Type.Integer({ minimum: 1, maximum: 1000 }),
    rows: Type.Integer({ minimum: 1, maximum: 1000 }),
  }),
  Type.Object({ type: Type.Literal(StreamType.closeStdin) }),
]);
export type ExecClientMessage = Static<typeof ExecClientMessageSchema>;

export const ExecServerMessageSchema = Type.Union([
  Type.Object({
    type: Type.Literal(StreamType.started),
    container: Type.String(),
    command: Type.Array(Type.String()),
  }),
  Type.Object({ type: Type.Literal(StreamType.stdout), data: Type.String() }),
  Type.Object({ type: Type.Literal(StreamType.stderr), data: Type.String() }),
  Type.Object({
    type: Type.Literal(StreamType.exit),
    code: Type.Integer(),
    message: Type.Optional(Type.String()),
  }),
  errorMessage,
]);
export type ExecServerMessage = Static<typeof ExecServerMessageSchema>;
