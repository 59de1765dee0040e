import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuditWriter, eventId, toRow, type AuditRow } from './writer.js';

const { log } = Fastify({ logger: false });

const event = (n: number) => ({ actor: 'ada', action: `test.${n}`, result: 'success' as const });

function fakeStore() {
  const batches: AuditRow[][] = [];
  let failing = false;
  return {
    batches,
    rows: () => batches.flat(),
    fail: (value: boolean) => {
      failing = value;
    },
    insert: (rows: AuditRow[]) => {
      if (failing) return Promise.reject(new Error('store down'));
      batches.push([...rows]);
      return Promise.resolve();
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the audit writer', () => {
  it('batches what arrives within a flush interval into one insert', async () => {
    vi.useFakeTimers();
    const store = fakeStore();
    const writer = createAuditWriter({
      insert: store.insert,
      log,
      flushIntervalMs: 200,
      maxQueue: 1000,
    });
    for (let i = 0; i < 300; i++) await writer.record(event(i));
    expect(store.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(store.batches.map((batch) => batch.length)).toEqual([300]);
    expect(store.rows().map((row) => row.action)).toEqual(
      Array.from({ length: 300 }, (_, i) => `test.${i}`),
    );
  });

  it('writes in statements of at most batchSize rows', async () => {
    const store = fakeStore();
    const writer = createAuditWriter({
      insert: store.insert,
      log,
      flushIntervalMs: 10_000,
      maxQueue: 5000,
      batchSize: 500,
    });
    for (let i = 0; i < 1200; i++) await writer.record(event(i));
    await writer.flush();
    expect(store.batches.map((batch) => batch.length)).toEqual([500, 500, 200]);
  });

  it('writes an event itself, rather than dropping it, when the queue is full', async () => {
    const store = fakeStore();
    const writer = createAuditWriter({
      insert: store.insert,
      log,
      flushIntervalMs: 10_000,
      maxQueue: 10,
    });
    for (let i = 0; i < 10; i++) await writer.record(event(i));
    expect(store.rows()).toEqual([]);
    await writer.record(event(10));
    // Written before record() resolved: the caller waited for it.
    expect(store.rows().map((row) => row.action)).toEqual(['test.10']);
    await writer.close();
    expect(store.rows()).toHaveLength(11);
  });

  it('keeps a batch that failed and writes it on a later flush', async () => {
    const store = fakeStore();
    const writer = createAuditWriter({
      insert: store.insert,
      log,
      flushIntervalMs: 10_000,
      maxQueue: 100,
      retryMs: 10_000,
    });
    await writer.record(event(1));
    store.fail(true);
    await expect(writer.flush()).rejects.toThrow('store down');
    store.fail(false);
    await writer.flush();
    expect(store.rows().map((row) => row.action)).toEqual(['test.1']);
  });

  it('writes everything on close, and events after close one by one', async () => {
    const store = fakeStore();
    const writer = createAuditWriter({
      insert: store.insert,
      log,
      flushIntervalMs: 10_000,
      maxQueue: 100,
    });
    for (let i = 0; i < 5; i++) await writer.record(event(i));
    await writer.close();
    expect(store.rows()).toHaveLength(5);
    await writer.record(event(5));
    expect(store.rows()).toHaveLength(6);
  });

  it('refuses an event without an actor', async () => {
    const writer = createAuditWriter({
      insert: fakeStore().insert,
      log,
      flushIntervalMs: 10,
      maxQueue: 10,
    });
    await expect(writer.record({ ...event(1), actor: '' })).rejects.toThrow(
      'an audit event needs an actor and an action',
    );
    await writer.close();
  });
});

describe('toRow', () => {
  it('stores the detail as JSON, and only a note when it is too large', () => {
    expect(toRow({ ...event(1), detail: { status: 201 } }, 5).detail).toBe('{"status":201}');
    const big = toRow({ ...event(1), detail: { blob: 'x'.repeat(10_000) } }, 5).detail;
    expect(JSON.parse(big ?? '')).toEqual({ truncated: true, chars: 10_011 });
  });

  it('makes ids that sort in recording order', () => {
    const ids = [eventId(1000), eventId(1000), eventId(1001), eventId(999_999_999_999)];
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
  });
});
