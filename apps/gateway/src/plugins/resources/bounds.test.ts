// The bounds of the informer hub, through the REST API and the live socket against the real test
// cluster: informers per person and per cluster (429 TooManyInformers, never a queue, and an idle
// informer makes room), a namespaced list served by a running informer of every namespace, a
// namespace that does not exist (404 at once, no watch kept), an unreachable cluster (503 at once).
import { LiveType, resourcePaths } from '@binnacle/contract';
import { findResource, type ResourceEntry } from '@binnacle/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import { listen, LiveClient } from '../../../test/live-client.js';
import {
  allow,
  resourcesTestApp,
  type Person,
  type ResourcesTestApp,
} from '../../../test/resources-app.js';
import { createPods, eventually } from '../../../test/resources-cluster.js';

const spaces = [useNamespace('bnd-a'), useNamespace('bnd-b'), useNamespace('bnd-c')];
const wide = useNamespace('bnd-wide');
const admin = adminClient();
const pods = findResource('pods') as ResourceEntry;
let t: ResourcesTestApp;
let cluster: string;
let base: string;
let viewer: Person;

beforeAll(async () => {
  t = await resourcesTestApp({
    resources: { informerIdleMs: 60_000, informersPerPerson: 2, informersPerCluster: 4 },
  });
  cluster = await t.importCluster('bounds');
  base = await listen(t.app);
  viewer = await t.person(
    'bounds-viewer',
    allow({ resources: ['pods'], verbs: ['list', 'watch'] }),
  );
  await createPods(admin, wide.name, [{ name: 'w' }]);
});
afterAll(async () => {
  await t.close();
  await admin.close();
});

const list = (person: Person, namespace: string, resource = 'pods') =>
  t.app.inject({
    url: resourcePaths.collection(cluster, resource),
    query: { namespace },
    headers: person.headers,
  });

const running = () => t.app.informers.running().filter((i) => i.cluster === cluster);

/** Holds one informer per namespace with live subscriptions of `person` (until closed). */
async function hold(person: Person, namespaces: string[]): Promise<LiveClient> {
  const socket = await LiveClient.open(base, { headers: person.headers });
  for (const namespace of namespaces)
    socket.send({
      type: LiveType.subscribe,
      id: namespace,
      cluster,
      resource: 'pods',
      namespace,
      mode: 'objects',
    });
  for (const namespace of namespaces)
    await socket.waitFor((m) => m.type === LiveType.snapshot && m.id === namespace);
  return socket;
}

async function stopAll(): Promise<void> {
  await t.app.informers.stopCluster(cluster);
}

describe('informer bounds', () => {
  it('refuses a person past their bound with 429, and an idle informer of theirs makes room', async () => {
    const [a, b, c] = spaces.map((s) => s.name) as [string, string, string];
    const socket = await hold(viewer, [a, b]);
    const refused = await list(viewer, c);
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.json()).toMatchObject({
      code: 'TooManyInformers',
      message: /at most 2 lists .*BINNACLE_INFORMERS_PER_PERSON/,
    });
    expect(running().filter((i) => i.namespace === c)).toEqual([]);
    // someone else's lists are not theirs to count
    expect((await list(t.admin, c)).statusCode).toBe(200);

    socket.close();
    await eventually(() => running().every((i) => i.users === 0));
    // a and b now only wait for their idle timer: one of them stops to make room for a new one
    await stopAll();
    expect((await list(viewer, a)).statusCode).toBe(200);
    expect((await list(viewer, b)).statusCode).toBe(200);
    const res = await list(viewer, c);
    expect(res.statusCode, res.body).toBe(200);
    const mine = running()
      .filter((i) => i.resource === 'pods')
      .map((i) => i.namespace);
    expect(mine).toContain(c);
    expect(mine).toHaveLength(2);
  });

  it('refuses past the bound of a cluster with 429 naming the setting', async () => {
    await stopAll();
    const [a, b, c] = spaces.map((s) => s.name) as [string, string, string];
    // the namespaces informer (namespace existence) + 2 of the viewer + 1 of the admin = 4
    const mine = await hold(viewer, [a, b]);
    const theirs = await hold(t.admin, [c]);
    expect(running()).toHaveLength(4);
    const refused = await list(t.admin, wide.name);
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.json()).toMatchObject({
      code: 'TooManyInformers',
      message: /at most 4 lists of cluster .*BINNACLE_INFORMERS_PER_CLUSTER/,
    });
    mine.close();
    theirs.close();
    await eventually(() => running().every((i) => i.users === 0));
  });
});

describe('scopes', () => {
  it('serves a namespaced list from a running informer of every namespace', async () => {
    await stopAll();
    const everywhere = await t.app.informers.acquire({ cluster, entry: pods });
    await everywhere.informer.synced;
    const res = await list(t.admin, wide.name);
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res.json<{ items: { metadata: { name: string } }[] }>().items.map((p) => p.metadata.name),
    ).toEqual(['w']);
    expect(
      running()
        .filter((i) => i.resource === 'pods')
        .map((i) => i.namespace),
    ).toEqual(['']);
    everywhere.release();
  });

  it('answers 404 at once for a namespace that does not exist, and keeps no watch of it', async () => {
    await stopAll();
    const missing = `bnd-missing-${String(Date.now())}`;
    const res = await list(viewer, missing);
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json()).toMatchObject({
      code: 'NamespaceNotFound',
      message: `Cluster "${cluster}" has no namespace "${missing}".`,
    });
    expect(running().filter((i) => i.namespace === missing)).toEqual([]);
    // answered from the one namespaces informer: 20 more missing namespaces start nothing more
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => list(viewer, `${missing}-${String(i)}`)),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array.from({ length: 20 }, () => 404));
    expect(running().map((i) => i.resource)).toEqual(['namespaces']);
  });

  it('answers 503 at once for a cluster that refuses connections', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/clusters',
      headers: t.admin.headers,
      payload: { name: 'closed-port', server: 'https://127.0.0.1:1', token: 'not-a-real-token' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const closed = created.json<{ id: string }>().id;
    for (const namespace of [spaces[0]?.name ?? '', '']) {
      const started = Date.now();
      const res = await t.app.inject({
        url: resourcePaths.collection(closed, 'pods'),
        query: namespace === '' ? {} : { namespace },
        headers: t.admin.headers,
      });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toMatchObject({ code: 'ClusterUnreachable', message: /ECONNREFUSED/ });
      // far below the 30 s sync timeout (the bound of issue 9)
      expect(Date.now() - started).toBeLessThan(5000);
    }
    expect(t.app.informers.running().filter((i) => i.cluster === closed)).toEqual([]);
  });
});
