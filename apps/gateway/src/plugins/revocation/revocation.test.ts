// Every way access ends, against the shared test cluster: a person has a terminal (a loop in a
// kwok pod), a followed log and a live subscription open; the change closes them within 5 s with
// the contract's close code, the loop's process is gone, and an audit row names what closed.
import { randomBytes } from 'node:crypto';
import { CloseCode, LiveType } from '@binnacle/contract';
import type { KubeClient } from '@binnacle/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import {
  admin,
  closedAfter,
  importAgain,
  openAll,
  processesWith,
  someone,
  subscriptionEndedAfter,
  type Open,
  type Someone,
} from '../../../test/revocation.js';
import { createKwokPod, streamsTestApp, type StreamsTestApp } from '../../../test/streams-app.js';

const ns = useNamespace('revocation');
let t: StreamsTestApp;
let kube: KubeClient;
/** Close times measured, for the report. */
const measured: Record<string, number[]> = {};

beforeAll(async () => {
  t = await streamsTestApp({}, { tuning: { audit: { flushIntervalMs: 20 } } });
  kube = adminClient();
  await createKwokPod(kube, { namespace: ns.name, name: 'box' });
}, 120_000);
afterAll(async () => {
  console.info(`revocation close times (ms): ${JSON.stringify(measured)}`);
  await t.close();
  await kube.close();
});

const unique = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

/** Asserts the terminal and log closed with `code` within 5 s, and the loop's process ended. */
async function expectClosed(
  open: Open,
  options: { since: number; code: number; reason: RegExp; path: string },
): Promise<void> {
  const [exec, logs] = await Promise.all([
    closedAfter(open.exec, options.since),
    closedAfter(open.logs, options.since),
  ]);
  for (const closed of [exec, logs]) {
    expect(closed.code, closed.reason).toBe(options.code);
    expect(closed.reason).toMatch(options.reason);
  }
  expect(exec.ms).toBeLessThan(5000);
  expect(logs.ms).toBeLessThan(5000);
  (measured[options.path] ??= []).push(exec.ms, logs.ms);
  await expect.poll(() => processesWith(open.marker), { timeout: 5000, interval: 100 }).toEqual([]);
}

/** Asserts the live socket closed with 4401 within 5 s. */
async function expectLiveRevoked(open: Open, since: number, path: string): Promise<void> {
  const live = await closedAfter(open.live, since);
  expect(live.code).toBe(CloseCode.revoked);
  expect(live.ms).toBeLessThan(5000);
  (measured[path] ??= []).push(live.ms);
}

/** Asserts the live subscription ended with `code` within 5 s (the socket itself stays). */
async function expectSubscriptionEnded(
  open: Open,
  options: { since: number; code: string; path: string },
): Promise<void> {
  const ended = await subscriptionEndedAfter(open.live, options.since);
  expect(ended.code).toBe(options.code);
  expect(ended.ms).toBeLessThan(5000);
  (measured[options.path] ??= []).push(ended.ms);
  open.live.socket.close();
}

async function auditRows(action: string): Promise<Record<string, unknown>[]> {
  await t.app.audit.flush();
  const rows = await t.app.db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', action)
    .execute();
  return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail ?? '{}') as unknown }));
}

async function editor(prefix: string): Promise<Someone & { bindingId?: string }> {
  return someone(t, { username: unique(prefix), roleId: 'builtin-editor' });
}

const place = () => ({ cluster: t.cluster, namespace: ns.name, pod: 'box' });

describe('revocation closes the sockets it concerns', () => {
  it('disabling the person: 4401 on every socket, and an audit row naming them', async () => {
    const person = await editor('disabled');
    const open = await openAll(t, { who: person.headers, ...place() });
    const since = Date.now();
    await admin.call(t, {
      method: 'PATCH',
      url: `/k8s-api/v1/users/${person.userId}`,
      payload: { disabled: true },
    });
    await expectClosed(open, {
      since,
      code: CloseCode.revoked,
      reason: /disabled/,
      path: 'disable',
    });
    await expectLiveRevoked(open, since, 'disable');
    await expect
      .poll(async () => auditRows('revocation.user-disabled'), { timeout: 3000 })
      .toContainEqual(
        expect.objectContaining({
          actor: 'admin',
          result: 'success',
          detail: expect.objectContaining({
            userId: person.userId,
            closed: expect.arrayContaining([
              expect.objectContaining({ kind: 'exec', username: person.username, pod: 'box' }),
              expect.objectContaining({ kind: 'logs', username: person.username }),
              expect.objectContaining({ kind: 'live', username: person.username }),
            ]) as unknown,
          }) as unknown,
        }),
      );
  });

  it('signing out: 4401', async () => {
    const person = await editor('signout');
    const open = await openAll(t, { who: person.headers, ...place() });
    const since = Date.now();
    const res = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/auth/logout',
      cookies: { binnacle_refresh: person.refreshToken },
    });
    expect(res.statusCode).toBe(204);
    await expectClosed(open, {
      since,
      code: CloseCode.revoked,
      reason: /session/,
      path: 'sign-out',
    });
    await expectLiveRevoked(open, since, 'sign-out');
    await expect
      .poll(async () => auditRows('revocation.signed-out'), { timeout: 3000 })
      .toContainEqual(expect.objectContaining({ actor: person.username }));
  });

  it('revoking the session family (its refresh token used twice): 4401', async () => {
    const person = await editor('family');
    const open = await openAll(t, { who: person.headers, ...place() });
    const refresh = () =>
      t.app.inject({
        method: 'POST',
        url: '/k8s-api/v1/auth/refresh',
        cookies: { binnacle_refresh: person.refreshToken },
      });
    expect((await refresh()).statusCode).toBe(200);
    // The rotated token again: a copy in other hands, so the whole family ends.
    const since = Date.now();
    expect((await refresh()).statusCode).toBe(401);
    await expectClosed(open, { since, code: CloseCode.revoked, reason: /session/, path: 'family' });
    await expectLiveRevoked(open, since, 'family');
    expect(await auditRows('revocation.session-revoked')).not.toEqual([]);
  });

  it('revoking the personal access token the sockets were opened with: 4401', async () => {
    const person = await editor('pat');
    const created = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/tokens',
      headers: person.headers,
      payload: { name: 'script', expiresInDays: 1 },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json<{ id: string; token: string }>();
    // Tickets asked for with the token: the sockets are the token's.
    const open = await openAll(t, { who: { authorization: `Bearer ${token}` }, ...place() });
    const since = Date.now();
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/k8s-api/v1/tokens/${id}`,
      headers: person.headers,
    });
    expect(res.statusCode).toBe(204);
    await expectClosed(open, { since, code: CloseCode.revoked, reason: /token/, path: 'token' });
    await expectLiveRevoked(open, since, 'token');
    expect(await auditRows('revocation.token-revoked')).toContainEqual(
      expect.objectContaining({ detail: expect.objectContaining({ tokenId: id }) as unknown }),
    );
  });

  it('changing the groups that granted access: 4403, the subscription ends', async () => {
    const group = unique('team');
    await admin.call(t, {
      method: 'POST',
      url: '/k8s-api/v1/rolebindings',
      payload: { roleId: 'builtin-editor', subjectKind: 'group', subject: group },
    });
    const person = await someone(t, { username: unique('grouped'), groups: [group] });
    const open = await openAll(t, { who: person.headers, ...place() });
    const since = Date.now();
    await admin.call(t, {
      method: 'PATCH',
      url: `/k8s-api/v1/users/${person.userId}`,
      payload: { groups: [] },
    });
    await expectClosed(open, {
      since,
      code: CloseCode.forbidden,
      reason: /no longer allow/,
      path: 'groups',
    });
    await expectSubscriptionEnded(open, { since, code: 'Forbidden', path: 'groups' });
    // Their access token carried the old groups: it ends too, and a refresh gives a new one.
    const me = await t.app.inject({ url: '/k8s-api/v1/me', headers: person.headers });
    expect(me.statusCode).toBe(401);
    expect(me.json()).toMatchObject({ message: /groups or roles changed/ });
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/auth/refresh',
      cookies: { binnacle_refresh: person.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const again = await t.app.inject({
      url: '/k8s-api/v1/me',
      headers: { authorization: `Bearer ${refreshed.json<{ accessToken: string }>().accessToken}` },
    });
    expect(again.json()).toMatchObject({ groups: [] });
    expect(await auditRows('revocation.groups-changed')).not.toEqual([]);
  });

  it('removing the role binding: 4403, the subscription ends, the access token ends', async () => {
    const person = await editor('unbound');
    const open = await openAll(t, { who: person.headers, ...place() });
    const since = Date.now();
    await admin.call(t, {
      method: 'DELETE',
      url: `/k8s-api/v1/rolebindings/${person.bindingId ?? ''}`,
    });
    await expectClosed(open, {
      since,
      code: CloseCode.forbidden,
      reason: /no longer allow/,
      path: 'binding',
    });
    await expectSubscriptionEnded(open, { since, code: 'Forbidden', path: 'binding' });
    const me = await t.app.inject({ url: '/k8s-api/v1/me', headers: person.headers });
    expect(me.statusCode).toBe(401);
    expect(await auditRows('revocation.binding-changed')).not.toEqual([]);
  });

  it("changing the role's rules: 4403, the subscription ends", async () => {
    const rule = (resources: string[]) => ({
      clusters: ['*'],
      namespaces: ['*'],
      resources,
      verbs: ['get', 'list', 'watch', 'log', 'exec'],
      effect: 'allow',
    });
    const name = unique('pod-runner');
    const role = await admin.call(t, {
      method: 'POST',
      url: '/k8s-api/v1/roles',
      payload: { name, rules: [rule(['pods'])] },
    });
    const person = await someone(t, { username: unique('ruled'), roleId: role.id ?? '' });
    const open = await openAll(t, { who: person.headers, ...place() });
    const since = Date.now();
    await admin.call(t, {
      method: 'PUT',
      url: `/k8s-api/v1/roles/${role.id ?? ''}`,
      payload: { name, rules: [rule(['services'])] },
    });
    await expectClosed(open, {
      since,
      code: CloseCode.forbidden,
      reason: /no longer allow/,
      path: 'rules',
    });
    await expectSubscriptionEnded(open, { since, code: 'Forbidden', path: 'rules' });
    expect(await auditRows('revocation.roles-changed')).not.toEqual([]);
  });

  it('deleting the cluster: 4410, the subscription ends', async () => {
    const cluster = await importAgain(t, unique('doomed'));
    const person = await editor('deleted');
    const open = await openAll(t, { who: person.headers, ...place(), cluster });
    const since = Date.now();
    await admin.call(t, { method: 'DELETE', url: `/k8s-api/v1/clusters/${cluster}` });
    await expectClosed(open, {
      since,
      code: CloseCode.clusterChanged,
      reason: /removed/,
      path: 'cluster-deleted',
    });
    await expectSubscriptionEnded(open, { since, code: 'Gone', path: 'cluster-deleted' });
    expect(await auditRows('revocation.cluster-deleted')).toContainEqual(
      expect.objectContaining({ cluster }),
    );
  });

  it('changing the cluster: 4410, the subscription ends', async () => {
    const cluster = await importAgain(t, unique('changing'));
    const person = await editor('changed');
    const open = await openAll(t, { who: person.headers, ...place(), cluster });
    const since = Date.now();
    await admin.call(t, {
      method: 'PATCH',
      url: `/k8s-api/v1/clusters/${cluster}`,
      payload: { name: unique('renamed') },
    });
    await expectClosed(open, {
      since,
      code: CloseCode.clusterChanged,
      reason: /changed/,
      path: 'cluster-changed',
    });
    await expectSubscriptionEnded(open, { since, code: 'Gone', path: 'cluster-changed' });
    expect(await auditRows('revocation.cluster-changed')).not.toEqual([]);
  });

  it("leaves other people's sockets alone", async () => {
    const [one, other] = [await editor('one'), await editor('other')];
    const kept = await openAll(t, { who: other.headers, ...place() });
    const gone = await openAll(t, { who: one.headers, ...place() });
    await admin.call(t, {
      method: 'PATCH',
      url: `/k8s-api/v1/users/${one.userId}`,
      payload: { disabled: true },
    });
    await gone.exec.closed;
    const before = kept.exec.text('stdout').length;
    await kept.exec.until((c) => c.text('stdout').length > before);
    expect(kept.live.messages.some((m) => m.type === LiveType.error)).toBe(false);
    for (const client of [kept.exec, kept.logs, kept.live]) client.socket.close();
  });
});
