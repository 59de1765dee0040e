// The informer hub against the real test cluster: many leases share one upstream watch, an idle
// informer stops, a changed or deleted cluster stops its informers, and the metrics say so.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { resourcePaths } from '@binnacle/contract';
import { findResource, type ResourceEntry } from '@binnacle/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../../../test/clusters-app.js';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import { resourcesTestApp, type ResourcesTestApp } from '../../../test/resources-app.js';
import { createPods, eventually, upstreamGets } from '../../../test/resources-cluster.js';
import { HttpError } from '../errors/index.js';

const ns = useNamespace('inf');
const admin = adminClient();
let t: ResourcesTestApp;
let cluster: string;
const pods = findResource('pods') as ResourceEntry;

beforeAll(async () => {
  t = await resourcesTestApp({ resources: { informerIdleMs: 300 } });
  cluster = await t.importCluster('informers');
  await createPods(admin, ns.name, [{ name: 'a' }, { name: 'b' }]);
});
afterAll(async () => {
  await t.close();
  await admin.close();
});

const runningIn = (id: string) => t.app.informers.running().filter((i) => i.cluster === id);

async function metrics(): Promise<string> {
  return (await t.app.inject({ url: '/metrics' })).body;
}

describe('the informer hub', () => {
  it('shares one informer and one upstream watch among many leases', async () => {
    const before = await upstreamGets(t.app, cluster);
    const leases = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.app.informers.acquire({ cluster, entry: pods, namespace: ns.name }),
      ),
    );
    await leases[0]?.informer.synced;
    expect(new Set(leases.map((lease) => lease.informer)).size).toBe(1);
    expect(runningIn(cluster)).toEqual([
      expect.objectContaining({
        resource: 'pods',
        namespace: ns.name,
        users: 50,
        synced: true,
        objects: 2,
      }),
    ]);
    // one streaming list (which goes on as the watch), or a list and then a watch
    expect((await upstreamGets(t.app, cluster)) - before).toBeLessThanOrEqual(2);
    const text = await metrics();
    const labels = `cluster="${cluster}",resource="pods"`;
    expect(text).toContain(`binnacle_informers{${labels},synced="true"} 1`);
    expect(text).toContain(`binnacle_informer_users{${labels}} 50`);
    expect(text).toContain(`binnacle_informer_objects{${labels}} 2`);
    expect(text).toContain(`binnacle_informer_starts_total{${labels}} 1`);
    expect(text).toContain('# TYPE binnacle_informer_relists_total counter');
    expect(text).toContain('# TYPE binnacle_informer_restarts_total counter');

    for (const lease of leases) lease.release();
    leases[0]?.release();
    expect(runningIn(cluster)).toEqual([expect.objectContaining({ users: 0 })]);
    await eventually(() => runningIn(cluster).length === 0, 5000);
    expect(await metrics()).not.toContain(`binnacle_informers{${labels}`);
  });

  it('keeps an informer through a pause shorter than the idle time', async () => {
    const first = await t.app.informers.acquire({ cluster, entry: pods, namespace: ns.name });
    first.release();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await t.app.informers.acquire({ cluster, entry: pods, namespace: ns.name });
    expect(second.informer).toBe(first.informer);
    second.release();
  });

  it('keeps one informer per scope', async () => {
    const inNamespace = await t.app.informers.acquire({ cluster, entry: pods, namespace: ns.name });
    const everywhere = await t.app.informers.acquire({ cluster, entry: pods });
    const alsoEverywhere = await t.app.informers.acquire({ cluster, entry: pods, namespace: '' });
    expect(everywhere.informer).not.toBe(inNamespace.informer);
    expect(alsoEverywhere.informer).toBe(everywhere.informer);
    await everywhere.informer.synced;
    expect(everywhere.informer.get('a', ns.name)?.metadata.name).toBe('a');
    for (const lease of [inNamespace, everywhere, alsoEverywhere]) lease.release();
  });

  it('rejects an unknown cluster without keeping anything', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const err = await rejection(t.app.informers.acquire({ cluster: missing, entry: pods }));
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ statusCode: 404 });
    expect(runningIn(missing)).toEqual([]);
  });
});

describe('cluster changes', () => {
  it('answers at once when the cluster refuses the first list, and keeps no informer', async () => {
    const viewer = await t.importCluster('refusing', { viewer: true });
    // The viewer may read only the demo namespace: listing pods elsewhere is a lasting 403.
    const res = await t.app.inject({
      url: resourcePaths.collection(viewer, 'pods'),
      query: { namespace: ns.name },
      headers: t.admin.headers,
    });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json<{ code: string; message: string }>()).toMatchObject({ code: 'Forbidden' });
    expect(res.json<{ message: string }>().message).toMatch(
      /refused to list pods with the credential Binnacle holds/,
    );
    await eventually(() => runningIn(viewer).length === 0);
  });

  it('fails a list waiting for a first list that never comes when its cluster goes', async () => {
    // A port that takes connections and never answers (no TLS handshake): the connection attempt
    // times out, the informer retries, and the list waits. Closed ports answer 503 at once instead
    // (bounds.test.ts).
    const held: Socket[] = [];
    const hole = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    const { port } = hole.address() as AddressInfo;
    try {
      const created = await t.app.inject({
        method: 'POST',
        url: '/k8s-api/v1/clusters',
        headers: t.admin.headers,
        payload: {
          name: 'stuck',
          server: `https://127.0.0.1:${String(port)}`,
          token: 'not-a-real-token',
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const stuck = created.json<{ id: string }>().id;
      const pending = t.app.inject({
        url: resourcePaths.collection(stuck, 'pods'),
        headers: t.admin.headers,
      });
      await eventually(() => (runningIn(stuck)[0]?.health.errorCount ?? 0) > 0, 20_000);
      expect(runningIn(stuck)[0]?.synced).toBe(false);
      const text = await metrics();
      expect(text).toContain(
        `binnacle_informers{cluster="${stuck}",resource="pods",synced="false"} 1`,
      );
      expect(text).toMatch(
        new RegExp(
          `binnacle_informer_restarts_total\\{cluster="${stuck}",resource="pods"\\} [1-9]`,
        ),
      );
      const res = await t.app.inject({
        method: 'DELETE',
        url: `/k8s-api/v1/clusters/${stuck}`,
        headers: t.admin.headers,
      });
      expect(res.statusCode).toBe(204);
      const list = await pending;
      expect(list.statusCode).toBe(410);
      expect(list.json()).toMatchObject({ code: 'Gone', message: /changed or removed/ });
    } finally {
      for (const socket of held) socket.destroy();
      hole.close();
    }
  }, 30_000);

  it('stops the informers of a deleted cluster and tells their users', async () => {
    const doomed = await t.importCluster('doomed');
    const lease = await t.app.informers.acquire({
      cluster: doomed,
      entry: pods,
      namespace: ns.name,
    });
    await lease.informer.synced;
    const stopped = new Promise((resolve) => lease.informer.onStop(resolve));
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/k8s-api/v1/clusters/${doomed}`,
      headers: t.admin.headers,
    });
    expect(res.statusCode).toBe(204);
    expect(await stopped).toBe('cluster');
    await eventually(() => runningIn(doomed).length === 0);
    lease.release();
    const again = await rejection(t.app.informers.acquire({ cluster: doomed, entry: pods }));
    expect(again).toMatchObject({ statusCode: 404 });
  });

  it('starts afresh with the new client after a cluster changed', async () => {
    const changing = await t.importCluster('changing');
    const lease = await t.app.informers.acquire({
      cluster: changing,
      entry: pods,
      namespace: ns.name,
    });
    await lease.informer.synced;
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/k8s-api/v1/clusters/${changing}`,
      headers: t.admin.headers,
      payload: { name: 'changed' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await eventually(() => runningIn(changing).length === 0);
    lease.release();
    const fresh = await t.app.informers.acquire({
      cluster: changing,
      entry: pods,
      namespace: ns.name,
    });
    await fresh.informer.synced;
    expect(fresh.informer).not.toBe(lease.informer);
    expect(fresh.informer.size).toBe(2);
    fresh.release();
  });
});
