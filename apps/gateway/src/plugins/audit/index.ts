// The audit record: append-only (no route changes or removes a row), written in batches, flushed
// on close. It records on its own every refusal of the permission hook, every change made through
// /k8s-api/v1, and sign-ins and sign-outs when the auth plugin publishes them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authEventName } from '../auth/types.js';
import { requestIds } from '../../logging.js';
import type { Refusal } from '../rbac/index.js';
import { AnonymousBudget, type Suppressed } from './budget.js';
import routes from './routes.js';
import { createAuditWriter, type AuditEvent, type AuditResult } from './writer.js';

export type { AuditEvent, AuditResult } from './writer.js';

export interface Audit {
  /** Resolves once queued (or, when the queue is full, once written); rejects if it cannot be. */
  record: (event: AuditEvent) => Promise<void>;
  /** Writes what is queued; readers call it to see this replica's latest events. */
  flush: () => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    audit: Audit;
  }
  interface FastifyContextConfig {
    /** false keeps a POST that changes nothing (a question, a ticket) out of the record. */
    audit?: boolean;
  }
}

export interface AuditPluginOptions {
  /** How often queued events are written (default 200 ms). */
  flushIntervalMs?: number;
  /** Queued events beyond this are written one by one by their caller (default 10 000). */
  maxQueue?: number;
  /** Rows of anonymous requests per client address per window (default 60). */
  anonymousPerAddress?: number;
  /** That window, in seconds (default 600). */
  anonymousWindowSeconds?: number;
}

const mutating: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function audit(app: FastifyInstance, options: AuditPluginOptions): Promise<void> {
  const writer = createAuditWriter({
    insert: async (rows) => {
      await app.db.insertInto('audit_events').values(rows).execute();
    },
    log: app.log,
    flushIntervalMs: options.flushIntervalMs ?? 200,
    maxQueue: options.maxQueue ?? 10_000,
  });
  const windowSeconds = options.anonymousWindowSeconds ?? 600;
  const budget = new AnonymousBudget({
    perAddress: options.anonymousPerAddress ?? 60,
    windowMs: windowSeconds * 1000,
  });
  const summarise = (ended: Suppressed[]): void => {
    for (const summary of ended) {
      writer.record(suppressedEvent(summary, windowSeconds)).catch((err: unknown) => {
        app.log.error({ err }, 'an audit summary was not recorded');
      });
    }
  };
  const record = (event: AuditEvent): Promise<void> => {
    if (event.anonymous === true) {
      const { admitted, ended } = budget.admit(event.ip ?? '', Date.now());
      summarise(ended);
      if (!admitted) return Promise.resolve();
    }
    return writer.record(event);
  };
  const sweep = setInterval(
    () => {
      summarise(budget.sweep(Date.now()));
    },
    Math.min(60_000, windowSeconds * 1000),
  );
  sweep.unref();
  app.decorate('audit', { record, flush: writer.flush } satisfies Audit);

  const store = async (event: AuditEvent): Promise<void> => {
    try {
      await record(event);
    } catch (err) {
      app.log.error({ err }, 'an audit event was not recorded');
    }
  };
  // Refusals are recorded as such; the response hook leaves them alone.
  const refused = new WeakSet<FastifyRequest>();
  const stop: (() => void)[] = [];

  // Subscribed once every plugin is in, whatever the order they were registered in.
  app.addHook('onReady', () => {
    if (app.hasDecorator('rbac')) {
      stop.push(
        app.rbac.onRefused((refusal) => {
          refused.add(refusal.request);
          void store(refusalEvent(refusal));
        }),
      );
    }
    // The auth plugin's, when it is registered: { type, username, userId?, ip, reason? }.
    if (app.hasDecorator('authEvents')) {
      const emitter = app.authEvents;
      const listener = (payload: unknown): void => {
        const event = authEvent(payload);
        if (event === undefined) {
          app.log.warn('an auth event without type and username was not recorded');
        } else {
          void store(event);
        }
      };
      emitter.on(authEventName, listener);
      stop.push(() => emitter.off(authEventName, listener));
    }
    return Promise.resolve();
  });

  // Awaited, so a full queue slows the recording of changes rather than losing them.
  app.addHook('onResponse', async (request, reply) => {
    if (shouldRecord(request, refused)) await store(changeEvent(app, request, reply));
  });

  app.addHook('onClose', async () => {
    for (const unsubscribe of stop) unsubscribe();
    clearInterval(sweep);
    summarise(budget.sweep(Date.now(), true));
    await writer.close();
  });

  routes(app);
  return Promise.resolve();
}

function shouldRecord(request: FastifyRequest, refused: WeakSet<FastifyRequest>): boolean {
  const url = request.routeOptions.url;
  return (
    mutating.has(request.method) &&
    url !== undefined &&
    url.startsWith('/k8s-api/v1') &&
    request.routeOptions.config.audit !== false &&
    !refused.has(request)
  );
}

function changeEvent(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): AuditEvent {
  const access = app.hasDecorator('rbac') ? app.rbac.accessOf(request) : undefined;
  const status = reply.statusCode;
  return {
    ...requestEvent(request),
    cluster: access?.cluster || undefined,
    namespace: access?.namespace || undefined,
    kind: access?.resource,
    verb: access?.verb,
    result: resultOf(status),
    detail: requestDetail(request, status),
    anonymous: request.user === undefined,
  };
}

function refusalEvent({ request, status, access }: Refusal): AuditEvent {
  return {
    ...requestEvent(request),
    cluster: access?.cluster || undefined,
    namespace: access?.namespace || undefined,
    kind: access?.resource,
    verb: access?.verb,
    result: 'denied',
    detail: requestDetail(request, status),
    anonymous: request.user === undefined,
  };
}

/** The gateway's own request id; a caller's X-Request-Id is kept beside it, never instead. */
function requestDetail(request: FastifyRequest, status: number): Record<string, unknown> {
  return { status, path: pathOf(request), ...requestIds(request) };
}

function suppressedEvent(summary: Suppressed, windowSeconds: number): AuditEvent {
  return {
    actor: 'anonymous',
    action: 'audit.suppressed',
    result: 'denied',
    ip: summary.ip,
    detail: {
      suppressed: summary.count,
      from: new Date(summary.from).toISOString(),
      to: new Date(summary.to).toISOString(),
      limit: `BINNACLE_AUDIT_ANONYMOUS_PER_ADDRESS per ${String(windowSeconds)} s`,
    },
  };
}

function requestEvent(request: FastifyRequest) {
  return {
    actor: request.user?.username ?? 'anonymous',
    action: `${request.method} ${request.routeOptions.url ?? pathOf(request)}`,
    name: param(request.params, 'name') ?? param(request.params, 'id'),
    ip: request.ip,
  };
}

function resultOf(status: number): AuditResult {
  if (status < 400) return 'success';
  return status === 401 || status === 403 ? 'denied' : 'failure';
}

// The auth plugin's event types (AuthEventType); an unknown one is recorded as `auth.<type>`.
const authActions: Readonly<Record<string, { action: string; result: AuditResult }>> = {
  login: { action: 'auth.sign-in', result: 'success' },
  'login-failed': { action: 'auth.sign-in', result: 'failure' },
  logout: { action: 'auth.sign-out', result: 'success' },
  // A rotated refresh token used again: the whole session family was revoked.
  'refresh-reuse': { action: 'auth.refresh-reuse', result: 'failure' },
};

function authEvent(payload: unknown): AuditEvent | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const type = param(payload, 'type');
  const username = param(payload, 'username');
  if (type === undefined || username === undefined) return undefined;
  const known = authActions[type];
  const detail = {
    userId: param(payload, 'userId'),
    reason: param(payload, 'reason'),
    requestId: param(payload, 'requestId'),
    method: param(payload, 'method'),
  };
  const result = known?.result ?? (type.includes('fail') ? 'failure' : 'success');
  return {
    actor: username,
    action: known?.action ?? `auth.${type}`,
    result,
    ip: param(payload, 'ip'),
    ...(Object.values(detail).some((v) => v !== undefined) ? { detail } : {}),
    // Refused sign-ins come from anyone, under any name they type: bounded per address.
    anonymous: type === 'login-failed',
  };
}

// Never the query string: it may carry a ticket or a token.
function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '';
}

function param(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value: unknown = Reflect.get(source, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export default fp(audit, { name: 'audit', dependencies: ['db'], fastify: '5.x' });
