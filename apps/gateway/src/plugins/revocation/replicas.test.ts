// Two gateway replicas on one real PostgreSQL: a change made through one closes the sockets a
// person holds on the other within 5 s (the event travels as a NOTIFY).
import { randomBytes } from 'node:crypto';
import { CloseCode } from '@binnacle/contract';
import type { KubeClient } from '@binnacle/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.js';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import { createTestDatabase } from '../../../test/postgres.js';
import {
  admin,
  closedAfter,
  importAgain,
  openAll,
  processesWith,
  someone,
  subscriptionEndedAfter,
} from '../../../test/revocation.js';
import { createKwokPod, streamsTestApp, type StreamsTestApp } from '../../../test/streams-app.js';
import { decodeEvent, encodeEvent, maxPayloadBytes } from './event.js';

const ns = useNamespace('revocation-replicas');
let database: { url: string; stop: () => Promise<void> };
/** Where the changes are made. */
let a: StreamsTestApp;
/** Where the person's sockets are. */
let b: TestApp & { origin: string };
let kube: KubeClient;
const measured: number[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const env = {
    DATABASE_URL: database.url,
    BINNACLE_KEYS: `test:${randomBytes(32).toString('base64')}`,
    BINNACLE_ACTIVE_KEY: 'test',
  };
  a = await streamsTestApp({}, { env });
  const other = await testApp(env);
  const address = await other.app.listen({ host: '127.0.0.1', port: 0 });
  b = { ...other, origin: address.replace(/^http/, 'ws') };
  kube = adminClient();
  await createKwokPod(kube, { namespace: ns.name, name: 'box' });
}, 180_000);
afterAll(async () => {
  console.info(`close times across replicas (ms): ${JSON.stringify(measured)}`);
  await b.close();
  await a.close();
  await database.stop();
  await kube.close();
});

const unique = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

/** Tickets from replica b, where the person connects. */
const onB = () => ({
  origin: b.origin,
  ticket: async (headers?: { authorization: string }) => {
    const res = await b.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/auth/ticket',
      headers: headers ?? a.admin,
    });
    expect(res.statusCode).toBe(200);
    return res.json<{ ticket: string }>().ticket;
  },
});

describe('revocation across replicas on PostgreSQL', () => {
  it('disabling on one replica closes the sockets on the other: 4401, the loop ends', async () => {
    expect(b.app.dbDialect).toBe('postgres');
    const person = await someone(a, { username: unique('far'), roleId: 'builtin-editor' });
    const open = await openAll(onB(), {
      who: person.headers,
      cluster: a.cluster,
      namespace: ns.name,
      pod: 'box',
    });
    const since = Date.now();
    await admin.call(a, {
      method: 'PATCH',
      url: `/k8s-api/v1/users/${person.userId}`,
      payload: { disabled: true },
    });
    const closed = await Promise.all(
      [open.exec, open.logs, open.live].map((c) => closedAfter(c, since)),
    );
    for (const c of closed) {
      expect(c.code).toBe(CloseCode.revoked);
      expect(c.ms).toBeLessThan(5000);
      measured.push(c.ms);
    }
    await expect.poll(() => processesWith(open.marker), { timeout: 5000 }).toEqual([]);
    // The replica that closed them says so in the record (both write to the one store).
    await b.app.audit.flush();
    const rows = await b.app.db
      .selectFrom('audit_events')
      .select(['actor', 'detail'])
      .where('action', '=', 'revocation.user-disabled')
      .execute();
    const closedLists = rows.map(
      (r) => (JSON.parse(r.detail ?? '{}') as { closed: unknown[] }).closed,
    );
    expect(closedLists.some((list) => list.length === 3)).toBe(true);
  });

  it('removing a binding on one replica closes the streams on the other: 4403', async () => {
    const person = await someone(a, { username: unique('far-bound'), roleId: 'builtin-editor' });
    const open = await openAll(onB(), {
      who: person.headers,
      cluster: a.cluster,
      namespace: ns.name,
      pod: 'box',
    });
    const since = Date.now();
    await admin.call(a, {
      method: 'DELETE',
      url: `/k8s-api/v1/rolebindings/${person.bindingId ?? ''}`,
    });
    const [exec, logs] = await Promise.all([
      closedAfter(open.exec, since),
      closedAfter(open.logs, since),
    ]);
    expect([exec.code, logs.code]).toEqual([CloseCode.forbidden, CloseCode.forbidden]);
    const ended = await subscriptionEndedAfter(open.live, since);
    expect(ended.code).toBe('Forbidden');
    for (const ms of [exec.ms, logs.ms, ended.ms]) {
      expect(ms).toBeLessThan(5000);
      measured.push(ms);
    }
    open.live.socket.close();
  });

  it('deleting a cluster on one replica closes the streams on it on the other: 4410', async () => {
    const cluster = await importAgain(a, unique('far-doomed'));
    const person = await someone(a, { username: unique('far-cluster'), roleId: 'builtin-editor' });
    const open = await openAll(onB(), {
      who: person.headers,
      cluster,
      namespace: ns.name,
      pod: 'box',
    });
    const since = Date.now();
    await admin.call(a, { method: 'DELETE', url: `/k8s-api/v1/clusters/${cluster}` });
    const [exec, logs] = await Promise.all([
      closedAfter(open.exec, since),
      closedAfter(open.logs, since),
    ]);
    expect([exec.code, logs.code]).toEqual([CloseCode.clusterChanged, CloseCode.clusterChanged]);
    const ended = await subscriptionEndedAfter(open.live, since);
    expect(ended.code).toBe('Gone');
    for (const ms of [exec.ms, logs.ms, ended.ms]) {
      expect(ms).toBeLessThan(5000);
      measured.push(ms);
    }
    await expect.poll(() => processesWith(open.marker), { timeout: 5000 }).toEqual([]);
    open.live.socket.close();
  });
});

describe('the event on the wire', () => {
  it('round-trips, drops unknown fields and refuses what is not an event', () => {
    const payload = encodeEvent(
      { cause: 'token-revoked', userId: 'u-1', tokenId: 't-1', by: 'ada' },
      'r-1',
    );
    expect(Buffer.byteLength(payload)).toBeLessThan(maxPayloadBytes);
    expect(decodeEvent(payload)).toEqual({
      event: { cause: 'token-revoked', userId: 'u-1', tokenId: 't-1', by: 'ada' },
      origin: 'r-1',
    });
    expect(decodeEvent('{"cause":"nonsense","origin":"r"}')).toBeUndefined();
    expect(decodeEvent('{"cause":"signed-out"}')).toBeUndefined();
    expect(decodeEvent('not json')).toBeUndefined();
    expect(decodeEvent('{"cause":"signed-out","origin":"r","userId":"a b","extra":1}')).toEqual({
      event: { cause: 'signed-out' },
      origin: 'r',
    });
    expect(() => encodeEvent({ cause: 'signed-out', by: 'x'.repeat(5000) }, 'r')).toThrow(
      /too big/,
    );
  });
});
