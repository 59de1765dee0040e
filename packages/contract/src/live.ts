// The live protocol: one WebSocket per browser tab at `livePath`, opened with a ticket. The tab
// subscribes to (cluster, resource, namespace, selectors); the gateway answers from one shared
// informer per (cluster, resource, scope), filtered by the person's permissions.
//
// - mode `objects`: a `snapshot` of the matching objects, then `events` (batched, ≤ 200 ms apart).
//   A snapshot larger than the gateway allows is never cut short (the events that follow assume
//   the whole state): the subscription ends with error `SnapshotTooLarge` (status 413) instead,
//   and the view subscribes in mode `changes` and pages its list from the REST API.
// - mode `changes`: for server-paged views; a `subscribed` acknowledgement, then `changed` signals
//   (batched the same way) telling the view to re-fetch its page.
// `heartbeat` arrives on a timer; a tab that hears none for a while should reconnect.
import { Type, type Static } from 'typebox';
import { apiBase, KubeObjectSchema } from './resources.ts';

export const livePath = `${apiBase}/live`;
/** Deltas for one subscription are sent at most this often. */
export const liveBatchMs = 200;
export const liveHeartbeatMs = 15_000;

export const LiveType = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  subscribed: 'subscribed',
  snapshot: 'snapshot',
  events: 'events',
  changed: 'changed',
  error: 'error',
  heartbeat: 'heartbeat',
} as const;

export const WatchEventType = { added: 'added', modified: 'modified', deleted: 'deleted' } as const;

const subscriptionId = Type.String({ minLength: 1, maxLength: 64 });

export const SubscribeSchema = Type.Object({
  type: Type.Literal(LiveType.subscribe),
  id: subscriptionId,
  cluster: Type.String({ minLength: 1, maxLength: 128 }),
  /** A registry key: `pods`, `deployments.apps`. */
  resource: Type.String({ minLength: 1, maxLength: 128 }),
  /** Omitted or empty: every namespace. */
  namespace: Type.Optional(Type.String({ maxLength: 253 })),
  labelSelector: Type.Optional(Type.String({ maxLength: 1024 })),
  fieldSelector: Type.Optional(Type.String({ maxLength: 1024 })),
  mode: Type.Union([Type.Literal('objects'), Type.Literal('changes')]),
});
export type Subscribe = Static<typeof SubscribeSchema>;

export const UnsubscribeSchema = Type.Object({
  type: Type.Literal(LiveType.unsubscribe),
  id: subscriptionId,
});
export type Unsubscribe = Static<typeof UnsubscribeSchema>;

export const LiveClientMessageSchema = Type.Union([SubscribeSchema, UnsubscribeSchema]);
export type LiveClientMessage = Static<typeof LiveClientMessageSchema>;

export const WatchEventSchema = Type.Object({
  type: Type.Union([
    Type.Literal(WatchEventType.added),
    Type.Literal(WatchEventType.modified),
    Type.Literal(WatchEventType.deleted),
  ]),
  object: KubeObjectSchema,
});
export type WatchEvent = Static<typeof WatchEventSchema>;

export const LiveServerMessageSchema = Type.Union([
  Type.Object({ type: Type.Literal(LiveType.subscribed), id: subscriptionId }),
  Type.Object({
    type: Type.Literal(LiveType.snapshot),
    id: subscriptionId,
    items: Type.Array(KubeObjectSchema),
  }),
  Type.Object({
    type: Type.Literal(LiveType.events),
    id: subscriptionId,
    events: Type.Array(WatchEventSchema),
  }),
  Type.Object({
    type: Type.Literal(LiveType.changed),
    id: subscriptionId,
    /** How many objects changed since the last signal. */
    count: Type.Integer(),
  }),
  Type.Object({
    type: Type.Literal(LiveType.error),
    /** The subscription the error is about; none for the socket as a whole. */
    id: Type.Optional(subscriptionId),
    code: Type.String(),
    message: Type.String(),
    /**
     * The HTTP status the same refusal has on the REST API: 403 Forbidden, 404 NotFound, 429
     * TooManySubscriptions or TooManyInformers, 413 SnapshotTooLarge, 503 ClusterUnreachable…
     */
    status: Type.Optional(Type.Integer()),
  }),
  Type.Object({ type: Type.Literal(LiveType.heartbeat), at: Type.Integer() }),
]);
export type LiveServerMessage = Static<typeof LiveServerMessageSchema>;
