// The socket limits against the shared test cluster: every socket is checked again on a timer
// against the person as stored now (here every second, so a change made behind the gateway's back,
// straight in the store, is found without any event); an absolute lifetime; sockets per person.
import { randomBytes } from 'node:crypto';
import { CloseCode, streamPaths } from '@binnacle/contract';
import type { KubeClient } from '@binnacle/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import { openAll, processesWith, someone } from '../../../test/revocation.js';
import {
  createKwokPod,
  query,
  RefusedUpgrade,
  StreamClient,
  streamsTestApp,
  type StreamsTestApp,
} from '../../../test/streams-app.js';

const ns = useNamespace('socket-limits');
let t: StreamsTestApp;
let kube: KubeClient;
const lifetimeMs = 15_000;

beforeAll(async () => {
  t = await streamsTestApp(
    {},
    { tuning: { sockets: { recheckMs: 1000, maxLifetimeMs: lifetimeMs, perUser: 3 } } },
  );
  kube = adminClient();
  await createKwokPod(kube, { namespace: ns.name, name: 'box' });
}, 120_000);
afterAll(async () => {
  await t.close();
  await kube.close();
});

const unique = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;
const place = () => ({ cluster: t.cluster, namespace: ns.name, pod: 'box' });

describe('the periodic check', () => {
  it('closes the sockets of a person disabled in the store, without any event: 4401', async () => {
    const person = await someone(t, { username: unique('quiet'), roleId: 'builtin-editor' });
    const open = await openAll(t, { who: person.headers, ...place() });
    await t.app.db
      .updateTable('users')
      .set({ disabled: 1 })
      .where('id', '=', person.userId)
      .execute();
    const closed = await Promise.all([open.exec.closed, open.logs.closed, open.live.closed]);
    expect(closed.map((c) => c.code)).toEqual([
      CloseCode.revoked,
      CloseCode.revoked,
      CloseCode.revoked,
    ]);
    await expect.poll(() => processesWith(open.marker), { timeout: 5000 }).toEqual([]);
  });

  it('asks the roles as stored now, not as when the socket opened: 4403', async () => {
    const person = await someone(t, { username: unique('unbound'), roleId: 'builtin-editor' });
    const open = await openAll(t, { who: person.headers, ...place() });
    // Behind the gateway's back: no event, and the rules cache forgets within its few seconds.
    await t.app.db
      .deleteFrom('role_bindings')
      .where('id', '=', person.bindingId ?? '')
      .execute();
    const [exec, logs] = await Promise.all([open.exec.closed, open.logs.closed]);
    expect([exec.code, logs.code]).toEqual([CloseCode.forbidden, CloseCode.forbidden]);
    expect(exec.reason).toBe(
      'Your roles no longer allow exec on pods in namespace "' + ns.name + '".',
    );
    await expect.poll(() => processesWith(open.marker), { timeout: 5000 }).toEqual([]);
    open.live.socket.close();
  }, 20_000);
});

describe('the absolute lifetime', () => {
  it('closes a busy terminal, a log and a live socket once it is reached: 4440', async () => {
    const person = await someone(t, { username: unique('long'), roleId: 'builtin-editor' });
    const open = await openAll(t, { who: person.headers, ...place() });
    const closed = await Promise.all([open.exec.closed, open.logs.closed, open.live.closed]);
    expect(closed.map((c) => c.code)).toEqual([
      CloseCode.lifetime,
      CloseCode.lifetime,
      CloseCode.lifetime,
    ]);
    expect(closed[0].reason).toMatch(/reached its 15-second limit/);
    await expect.poll(() => processesWith(open.marker), { timeout: 5000 }).toEqual([]);
  }, 30_000);
});

describe('sockets per person', () => {
  it('refuses the upgrade past the limit with 429 TooManySockets, and takes one once a socket closes', async () => {
    const person = await someone(t, { username: unique('many'), roleId: 'builtin-editor' });
    const logsUrl = async () =>
      `${t.origin}${streamPaths.logs(t.cluster, ns.name, 'box')}?${query({
        ticket: await t.ticket(person.headers),
        follow: true,
      })}`;
    const held: StreamClient[] = [];
    for (let i = 0; i < 3; i++) held.push(await StreamClient.open(await logsUrl()));
    const refused = await StreamClient.open(await logsUrl()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(RefusedUpgrade);
    expect((refused as RefusedUpgrade).status).toBe(429);
    expect(JSON.parse((refused as RefusedUpgrade).body)).toEqual({
      code: 'TooManySockets',
      message:
        'You have 3 connections open, the most allowed (BINNACLE_SOCKETS_PER_USER); close a terminal, log or tab first.',
    });
    // Someone else is not held back by this person's sockets.
    const other = await StreamClient.open(
      `${t.origin}${streamPaths.logs(t.cluster, ns.name, 'box')}?${query({ ticket: await t.ticket(), follow: true })}`,
    );
    held[0]?.socket.close();
    await held[0]?.closed;
    const again = await StreamClient.open(await logsUrl());
    for (const client of [...held, other, again]) client.socket.close();
    await Promise.all([...held, other, again].map((client) => client.closed));
    // the gateway counts a socket out on its own close event, a moment after the client's
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Upgrades sent all at once cannot all pass the count before the first one is tracked.
    const urls = await Promise.all(Array.from({ length: 8 }, () => logsUrl()));
    const burst = await Promise.all(
      urls.map((url) =>
        StreamClient.open(url).then(
          (client) => client,
          (err: unknown) => err,
        ),
      ),
    );
    const opened = burst.filter((b): b is StreamClient => b instanceof StreamClient);
    expect(opened).toHaveLength(3);
    expect(burst.filter((b) => b instanceof RefusedUpgrade).map((b) => b.status)).toEqual([
      429, 429, 429, 429, 429,
    ]);
    for (const client of opened) client.socket.close();
  });
});
