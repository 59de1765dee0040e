// What strangers and refused people leave in the audit record: refused upgrades (Origin, ticket,
// permission), refused live subscriptions, refused sign-ins bounded per address with a counted
// summary, and the gateway's own request id in every row.
import { LiveType } from '@binnacle/contract';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type TestApp } from '../../../test/app.js';
import { LiveClient, listen } from '../../../test/live-client.js';
import { RefusedUpgrade, StreamClient } from '../../../test/streams-app.js';

let t: TestApp;
let base: string;
let admin: { authorization: string };
let nobody: { authorization: string };

interface Row {
  actor: string;
  action: string;
  result: string;
  ip: string | null;
  cluster: string | null;
  kind: string | null;
  detail: Record<string, unknown>;
}

async function rows(): Promise<Row[]> {
  await t.app.audit.flush();
  const found = await t.app.db.selectFrom('audit_events').selectAll().orderBy('id').execute();
  return found.map((row) => ({
    actor: row.actor,
    action: row.action,
    result: row.result,
    ip: row.ip,
    cluster: row.cluster,
    kind: row.kind,
    detail: row.detail === null ? {} : (JSON.parse(row.detail) as Record<string, unknown>),
  }));
}

async function clear(): Promise<void> {
  await t.app.audit.flush();
  await t.app.db.deleteFrom('audit_events').execute();
}

async function ticketFor(headers: { authorization: string }): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/k8s-api/v1/auth/ticket', headers });
  expect(res.statusCode).toBe(200);
  return res.json<{ ticket: string }>().ticket;
}

async function refused(url: string, options: { origin?: string } = {}): Promise<RefusedUpgrade> {
  const err = await StreamClient.open(url, options).then(
    () => new Error('the upgrade was accepted'),
    (e: unknown) => e,
  );
  if (!(err instanceof RefusedUpgrade)) throw err;
  return err;
}

beforeAll(async () => {
  t = await testApp({
    BINNACLE_ALLOWED_ORIGINS: 'https://portal.example.com',
    BINNACLE_AUDIT_ANONYMOUS_PER_ADDRESS: '3',
  });
  base = await listen(t.app);
  admin = { authorization: `Bearer ${(await signIn(t.app)).accessToken}` };
  const created = await t.app.inject({
    method: 'POST',
    url: '/k8s-api/v1/users',
    headers: admin,
    payload: { username: 'no-roles', password: 'a-long-enough-password' },
  });
  expect(created.statusCode).toBe(201);
  nobody = {
    authorization: `Bearer ${(await signIn(t.app, 'no-roles', 'a-long-enough-password')).accessToken}`,
  };
});
afterAll(() => t.close());

describe('refused upgrades', () => {
  it('records a foreign Origin, a missing ticket and a spent ticket', async () => {
    await clear();
    const ticket = await ticketFor(admin);
    const live = `${base}/k8s-api/v1/live`;
    expect(
      (await refused(`${live}?ticket=${ticket}`, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect((await refused(live)).status).toBe(401);
    expect((await refused(`${live}?ticket=made-up-ticket`)).status).toBe(401);
    const found = await rows();
    expect(found).toEqual([
      expect.objectContaining({
        actor: 'anonymous',
        action: 'GET /k8s-api/v1/live',
        result: 'denied',
        detail: expect.objectContaining({
          status: 403,
          reason: 'origin',
          origin: 'https://evil.example',
        }) as unknown,
      }),
      expect.objectContaining({
        detail: expect.objectContaining({ status: 401, reason: 'no-ticket' }) as unknown,
      }),
      expect.objectContaining({
        detail: expect.objectContaining({ status: 401, reason: 'ticket' }) as unknown,
      }),
    ]);
    // Never the ticket itself.
    expect(JSON.stringify(found)).not.toContain(ticket);
  });

  it('records an upgrade the person’s roles refuse', async () => {
    await clear();
    const ticket = await ticketFor(nobody);
    const url = `${base}/k8s-api/v1/clusters/c1/namespaces/default/pods/p/exec?command=sh&ticket=${ticket}`;
    expect((await refused(url)).status).toBe(403);
    expect(await rows()).toEqual([
      expect.objectContaining({
        actor: 'no-roles',
        result: 'denied',
        cluster: 'c1',
        kind: 'pods',
        detail: expect.objectContaining({ status: 403 }) as unknown,
      }),
    ]);
  });
});

describe('refused live subscriptions', () => {
  it('records a subscription the person may not hold', async () => {
    await clear();
    const client = await LiveClient.open(base, { ticket: await ticketFor(nobody) });
    client.send({
      type: LiveType.subscribe,
      id: 's1',
      cluster: 'somewhere',
      resource: 'pods',
      namespace: 'team-a',
      mode: 'objects',
    });
    await client.waitFor((m) => m.type === LiveType.error && m.id === 's1');
    client.close();
    expect(await rows()).toEqual([
      expect.objectContaining({
        actor: 'no-roles',
        action: 'live.subscribe',
        result: 'denied',
        cluster: 'somewhere',
        kind: 'pods',
        detail: expect.objectContaining({ when: 'subscribe' }) as unknown,
      }),
    ]);
  });
});

describe('request ids', () => {
  it('records the gateway’s own request id, with the caller’s beside it', async () => {
    await clear();
    const res = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/roles',
      headers: { ...nobody, 'x-request-id': 'forged-id-1' },
      payload: {},
    });
    expect(res.statusCode).toBe(403);
    const [row] = await rows();
    expect(row?.detail).toMatchObject({
      requestId: res.headers['x-request-id'],
      clientRequestId: 'forged-id-1',
    });
    expect(row?.detail.requestId).not.toBe('forged-id-1');
  });
});

describe('the budget of anonymous rows', () => {
  it('writes so many refused sign-ins per address, then one row counting the rest', async () => {
    await clear();
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/k8s-api/v1/auth/login',
        payload: { username: `guess-${String(i)}`, password: 'wrong-password-123' },
        remoteAddress: '10.7.0.1',
      });
      expect(res.statusCode).toBe(401);
    }
    // Another address has a budget of its own.
    await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/auth/login',
      payload: { username: 'elsewhere', password: 'wrong-password-123' },
      remoteAddress: '10.7.0.2',
    });
    const during = await rows();
    expect(during.filter((r) => r.ip === '10.7.0.1')).toHaveLength(3);
    expect(during.filter((r) => r.ip === '10.7.0.2')).toHaveLength(1);
    expect(during.every((r) => r.action === 'auth.sign-in')).toBe(true);

    // The summary is written when the window ends, or at the latest when the gateway stops.
    const other = await testApp({ BINNACLE_AUDIT_ANONYMOUS_PER_ADDRESS: '2' });
    for (let i = 0; i < 7; i++) {
      await other.app.inject({ url: '/k8s-api/v1/roles', remoteAddress: '10.7.1.1' });
    }
    // Read back from the SQLite file once the gateway has stopped (and written everything).
    await other.app.close();
    const file = other.config.db.dialect === 'sqlite' ? other.config.db.file : '';
    const sqlite = new Database(file, { readonly: true });
    const written = sqlite
      .prepare('select actor, action, ip, detail from audit_events order by id')
      .all() as { actor: string; action: string; ip: string; detail: string }[];
    sqlite.close();
    await other.close().catch(() => undefined);
    expect(written.map((r) => r.action)).toEqual([
      'GET /k8s-api/v1/roles',
      'GET /k8s-api/v1/roles',
      'audit.suppressed',
    ]);
    expect(written[2]).toMatchObject({ actor: 'anonymous', ip: '10.7.1.1' });
    expect(JSON.parse(written[2]?.detail ?? '{}')).toMatchObject({ suppressed: 5 });
  });
});
