// Batched, durable audit writes. Events wait in a bounded queue that is written every flush
// interval and on close; a full queue makes the caller's event a write of its own, never a drop.
// A failed batch stays queued and is retried.
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Insertable } from 'kysely';
import type { AuditEventsTable } from '../db/schema.js';

export type AuditResult = 'success' | 'failure' | 'denied';

export interface AuditEvent {
  /** Username, or 'anonymous'. */
  actor: string;
  /** What happened: "POST /k8s-api/v1/roles", "auth.sign-in", "stream.exec"… */
  action: string;
  cluster?: string | undefined;
  namespace?: string | undefined;
  kind?: string | undefined;
  name?: string | undefined;
  verb?: string | undefined;
  result: AuditResult;
  /** Small and free of secrets and bodies; stored as JSON. */
  detail?: Record<string, unknown> | undefined;
  ip?: string | undefined;
  /**
   * Left by a request without a signed-in person (not stored): such rows are bounded per client
   * address (BINNACLE_AUDIT_ANONYMOUS_PER_ADDRESS), and what is over is counted in one summary row.
   */
  anonymous?: boolean | undefined;
}

export type AuditRow = Insertable<AuditEventsTable>;

export interface AuditWriter {
  /** Queues the event; when the queue is full, resolves once the event itself is written. */
  record: (event: AuditEvent) => Promise<void>;
  /** Writes everything queued so far. */
  flush: () => Promise<void>;
  /** Stops the timer and writes everything; later events are written one by one. */
  close: () => Promise<void>;
}

export interface AuditWriterOptions {
  insert: (rows: AuditRow[]) => Promise<void>;
  log: FastifyBaseLogger;
  flushIntervalMs: number;
  maxQueue: number;
  /** Rows per insert statement (12 parameters each; both dialects take 500 easily). */
  batchSize?: number;
  retryMs?: number;
  now?: () => number;
}

const maxDetailChars = 8192;

export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const { insert, log, flushIntervalMs, maxQueue, now = Date.now } = options;
  const batchSize = options.batchSize ?? 500;
  const retryMs = options.retryMs ?? 1000;
  const queue: AuditRow[] = [];
  const direct = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  let closed = false;

  const schedule = (delay: number): void => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush().catch(() => undefined); // logged in drain; the rows stay queued for the retry
    }, delay);
    timer.unref();
  };

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.slice(0, batchSize);
      try {
        await insert(batch);
      } catch (err) {
        log.error({ err, queued: queue.length }, 'audit events could not be written; retrying');
        schedule(retryMs);
        throw err;
      }
      queue.splice(0, batch.length);
    }
  };

  const flush = async (): Promise<void> => {
    // One writer at a time; a flush asked for meanwhile waits, then writes what is left.
    while (writing !== undefined) await writing.catch(() => undefined);
    if (queue.length === 0) return;
    writing = drain();
    try {
      await writing;
    } finally {
      writing = undefined;
    }
  };

  const writeAlone = (row: AuditRow): Promise<void> => {
    const done = insert([row]).catch((err: unknown) => {
      log.error({ err, event: row }, 'an audit event could not be written');
      throw err;
    });
    direct.add(done);
    const forget = (): void => {
      direct.delete(done);
    };
    done.then(forget, forget);
    return done;
  };

  return {
    record: (event) => {
      let row: AuditRow;
      try {
        row = toRow(event, now());
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      if (closed || queue.length >= maxQueue) return writeAlone(row);
      queue.push(row);
      schedule(flushIntervalMs);
      return Promise.resolve();
    },
    flush,
    close: async () => {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled([...direct]);
      try {
        await flush();
      } catch {
        // The store is gone or refusing: the log is the last place these rows can go.
        log.error({ events: queue }, `${queue.length} audit events could not be written at close`);
      }
    },
  };
}

export function toRow(event: AuditEvent, at: number): AuditRow {
  if (event.actor === '' || event.action === '') {
    throw new TypeError('an audit event needs an actor and an action');
  }
  let detail: string | null = null;
  if (event.detail !== undefined) {
    detail = JSON.stringify(event.detail);
    if (detail.length > maxDetailChars) {
      detail = JSON.stringify({ truncated: true, chars: detail.length });
    }
  }
  return {
    id: eventId(at),
    at,
    actor: event.actor,
    action: event.action,
    cluster: event.cluster ?? null,
    namespace: event.namespace ?? null,
    kind: event.kind ?? null,
    name: event.name ?? null,
    verb: event.verb ?? null,
    result: event.result,
    detail,
    ip: event.ip ?? null,
  };
}

let sequence = 0;

/** 32 hex digits: time, then a per-process sequence, then randomness; sorts in recording order. */
export function eventId(at: number): string {
  sequence = (sequence + 1) % 0x1000000;
  return (
    at.toString(16).padStart(12, '0') +
    sequence.toString(16).padStart(6, '0') +
    randomBytes(7).toString('hex')
  );
}
