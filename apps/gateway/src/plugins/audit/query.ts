// Reading the audit record: filters, newest first, and an opaque cursor on (at, id).
import type { Kysely, Selectable } from 'kysely';
import { HttpError } from '../errors/index.js';
import type { AuditEventsTable, Database } from '../db/schema.js';
import type { AuditResult } from './writer.js';

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  cluster?: string | undefined;
  namespace?: string | undefined;
  result?: AuditResult | undefined;
  /** Inclusive, in milliseconds. */
  since?: number | undefined;
  /** Exclusive, in milliseconds. */
  until?: number | undefined;
}

export interface AuditItem {
  id: string;
  at: string;
  actor: string;
  action: string;
  cluster: string | null;
  namespace: string | null;
  kind: string | null;
  name: string | null;
  verb: string | null;
  result: AuditResult;
  detail: unknown;
  ip: string | null;
}

export async function queryAudit(
  db: Kysely<Database>,
  options: { filter: AuditFilter; limit: number; cursor?: string | undefined },
): Promise<{ items: AuditItem[]; nextCursor: string | null }> {
  const { filter, limit } = options;
  let query = db.selectFrom('audit_events').selectAll();
  for (const column of ['actor', 'action', 'cluster', 'namespace', 'result'] as const) {
    const value = filter[column];
    if (value !== undefined) query = query.where(column, '=', value);
  }
  if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('at', '<', filter.until);
  if (options.cursor !== undefined) {
    const after = decodeCursor(options.cursor);
    query = query.where((eb) =>
      eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])]),
    );
  }
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

/** A time filter: milliseconds since the epoch, or an ISO 8601 time. */
export function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms)) {
    throw HttpError.badRequest(
      `Invalid request: querystring/${field} must be an ISO 8601 time or milliseconds since the epoch`,
      { details: [{ field: `/${field}`, problem: 'is not a time' }] },
    );
  }
  return ms;
}

function toItem(row: Selectable<AuditEventsTable>): AuditItem {
  return {
    ...row,
    at: new Date(row.at).toISOString(),
    result: resultOf(row.result),
    detail: row.detail === null ? null : (JSON.parse(row.detail) as unknown),
  };
}

// Only the writer fills the column, with these three; anything else reads as a failure.
function resultOf(value: string): AuditResult {
  return value === 'success' || value === 'denied' ? value : 'failure';
}

function encodeCursor(row: { at: number; id: string }): string {
  return Buffer.from(JSON.stringify([row.at, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const at: unknown = value[0];
      const id: unknown = value[1];
      if (typeof at === 'number' && Number.isSafeInteger(at) && typeof id === 'string') {
        return { at, id };
      }
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw HttpError.badRequest(
    'Invalid request: querystring/cursor is not one this server gave out; start again without it',
    { details: [{ field: '/cursor', problem: 'is not a cursor' }] },
  );
}
