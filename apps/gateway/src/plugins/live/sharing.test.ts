// The live socket under load, against the real test cluster: 200 subscriptions of one scope share
// one informer and one upstream watch; a reader that falls behind is cut off instead of buffered
// without end; a deleted cluster ends its subscriptions.
import { LiveType } from '@binnacle/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import { eventNames, listen, LiveClient } from '../../../test/live-client.js';
import { resourcesTestApp, type ResourcesTestApp } from '../../../test/resources-app.js';
import { createPods, eventually, kwokPod, upstreamGets } from '../../../test/resources-cluster.js';
import { core } from '@binnacle/kube';
import { tooSlowCloseCode } from './connection.js';

/** BINNACLE_LIVE_MAX_SUBSCRIPTIONS's default. */
const maxSubscriptions = 50;
const crowd = useNamespace('crowd');
const heavy = useNamespace('heavy');
const admin = adminClient();
let t: ResourcesTestApp;
let cluster: string;
let base: string;

beforeAll(async () => {
  t = await resourcesTestApp({
    resources: { informerIdleMs: 300 },
    live: { maxBufferedBytes: 1024 * 1024 },
  });
  cluster = await t.importCluster('sharing');
  base = await listen(t.app);
  await createPods(admin, crowd.name, [{ name: 'one' }, { name: 'two' }]);
  // 8 pods of about 200 kB each: a snapshot of 1.6 MB
  const bulk = { note: 'x'.repeat(200_000) };
  await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      admin.create(core.pods, kwokPod(heavy.name, `big-${String(i)}`, {}, bulk)),
    ),
  );
});
afterAll(async () => {
  await t.close();
  await admin.close();
});

const subscribe = (id: string, namespace: string, clusterId = cluster) => ({
  type: LiveType.subscribe,
  id,
  cluster: clusterId,
  resource: 'pods',
  namespace,
  mode: 'objects',
});

const scopeOf = (clusterId: string, namespace: string) =>
  t.app.informers.running().filter((i) => i.cluster === clusterId && i.namespace === namespace);

describe('sharing', () => {
  it('serves 200 subscriptions over 4 sockets from one informer and one upstream watch', async () => {
    const before = await upstreamGets(t.app, cluster);
    const sockets = await Promise.all(
      Array.from({ length: 4 }, () => LiveClient.open(base, { headers: t.admin.headers })),
    );
    const ids = Array.from({ length: 50 }, (_, i) => `s${String(i)}`);
    for (const socket of sockets) for (const id of ids) socket.send(subscribe(id, crowd.name));
    await eventually(() =>
      sockets.every((s) => s.messages.filter((m) => m.type === LiveType.snapshot).length === 50),
    );
    expect(scopeOf(cluster, crowd.name)).toEqual([
      expect.objectContaining({ users: 200, synced: true, objects: 2 }),
    ]);
    // besides the one of the cluster's namespaces, which says whether a namespace exists
    const pods = t.app.informers.running().filter((i) => i.cluster === cluster);
    expect(pods.filter((i) => i.resource !== 'namespaces')).toHaveLength(1);
    expect((await upstreamGets(t.app, cluster)) - before).toBeLessThanOrEqual(2);

    // one change upstream reaches all 200 subscriptions
    await createPods(admin, crowd.name, [{ name: 'three' }]);
    await eventually(() =>
      sockets.every((s) => ids.every((id) => eventNames(s, id).includes('added three'))),
    );
    expect((await upstreamGets(t.app, cluster)) - before).toBeLessThanOrEqual(2);

    for (const socket of sockets) socket.close();
    await eventually(() => scopeOf(cluster, crowd.name).every((i) => i.users === 0));
    await eventually(() => scopeOf(cluster, crowd.name).length === 0, 5000);
  });

  it('holds at most maxSubscriptions subscriptions on one socket', async () => {
    const socket = await LiveClient.open(base, { headers: t.admin.headers });
    for (let i = 0; i <= maxSubscriptions; i += 1)
      socket.send(subscribe(`m${String(i)}`, crowd.name));
    const error = await socket.waitFor((m) => m.type === LiveType.error);
    expect(error).toMatchObject({
      id: `m${String(maxSubscriptions)}`,
      code: 'TooManySubscriptions',
      status: 429,
      message: /at most 50 subscriptions \(BINNACLE_LIVE_MAX_SUBSCRIPTIONS\)/,
    });
    await eventually(
      () => socket.messages.filter((m) => m.type === LiveType.snapshot).length === maxSubscriptions,
    );
    socket.close();
  });

  it('closes the socket of a reader that falls behind, and lets its informer go', async () => {
    const slow = await LiveClient.open(base, { headers: t.admin.headers });
    slow.pause(true);
    for (let i = 0; i < 20; i += 1) slow.send(subscribe(`big${String(i)}`, heavy.name));
    // 20 snapshots of 1.6 MB cannot all wait in the buffer
    await eventually(() => scopeOf(cluster, heavy.name).every((i) => i.users === 0), 20_000);
    slow.pause(false);
    const closed = await slow.closed;
    expect(closed.code).toBe(tooSlowCloseCode);
    expect(slow.messages.filter((m) => m.type === LiveType.snapshot).length).toBeLessThan(20);
  });
});

describe('cluster changes', () => {
  it('ends the subscriptions of a deleted cluster with an error', async () => {
    const doomed = await t.importCluster('doomed');
    const client = await LiveClient.open(base, { headers: t.admin.headers });
    client.send(subscribe('doomed', crowd.name, doomed));
    await client.waitFor((m) => m.type === LiveType.snapshot && m.id === 'doomed');
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/k8s-api/v1/clusters/${doomed}`,
      headers: t.admin.headers,
    });
    expect(res.statusCode).toBe(204);
    const error = await client.waitFor((m) => m.type === LiveType.error && m.id === 'doomed');
    expect(error).toMatchObject({ code: 'Gone', message: /changed or removed/ });
    expect(scopeOf(doomed, crowd.name)).toEqual([]);
    client.close();
  });
});
