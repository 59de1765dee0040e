// The live socket against the real test cluster: snapshot, then batched and coalesced events of
// changes made with the admin client; label-selected views; changes mode; unsubscribe; heartbeat;
// refusals that never reach the cluster.
import { liveBatchMs, LiveType } from '@binnacle/contract';
import { core } from '@binnacle/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import { eventNames, listen, LiveClient } from '../../../test/live-client.js';
import { allow, resourcesTestApp, type ResourcesTestApp } from '../../../test/resources-app.js';
import { createPods, eventually } from '../../../test/resources-cluster.js';

const ns = useNamespace('live');
const other = useNamespace('live-other');
const admin = adminClient();
let t: ResourcesTestApp;
let cluster: string;
let base: string;
let client: LiveClient;

beforeAll(async () => {
  t = await resourcesTestApp({
    resources: { informerIdleMs: 300 },
    live: { heartbeatMs: 300, recheckMs: 200 },
  });
  cluster = await t.importCluster('live');
  base = await listen(t.app);
  await createPods(admin, ns.name, [{ name: 'a', labels: { app: 'web' } }, { name: 'b' }]);
  client = await LiveClient.open(base, { headers: t.admin.headers });
});
afterAll(async () => {
  client.close();
  await t.close();
  await admin.close();
});

const subscribe = (id: string, extra: Record<string, string> = {}) => ({
  type: LiveType.subscribe,
  id,
  cluster,
  resource: 'pods',
  namespace: ns.name,
  mode: 'objects',
  ...extra,
});

const label = (name: string, labels: Record<string, string | null>) =>
  admin.patch(core.pods, { namespace: ns.name, name }, { metadata: { labels } }, { type: 'merge' });

const usersOf = (namespace: string) =>
  t.app.informers
    .running()
    .filter((i) => i.cluster === cluster && i.namespace === namespace)
    .reduce((sum, i) => sum + i.users, 0);

describe('objects mode', () => {
  it('sends a snapshot, then batched events of adds, changes and deletes', async () => {
    client.send(subscribe('all'));
    const snapshot = await client.waitFor((m) => m.type === LiveType.snapshot && m.id === 'all');
    expect(
      snapshot.type === LiveType.snapshot && snapshot.items.map((o) => o.metadata.name),
    ).toEqual(expect.arrayContaining(['a', 'b']));

    await createPods(admin, ns.name, [{ name: 'c' }]);
    await label('c', { step: '1' });
    await label('c', { step: '2' });
    await createPods(admin, ns.name, [{ name: 'd' }]);
    await client.waitFor(() => eventNames(client, 'all').includes('added d'));
    await admin.delete(core.pods, { namespace: ns.name, name: 'c' }, { gracePeriodSeconds: 0 });
    await client.waitFor(() => eventNames(client, 'all').includes('deleted c'));

    const batches = client.about('all', LiveType.events);
    for (const batch of batches) {
      if (batch.type !== LiveType.events) continue;
      // one entry per object and batch: repeated changes within a window are coalesced
      const objects = batch.events.map((e) => e.object.metadata.name);
      expect(new Set(objects).size).toBe(objects.length);
    }
    // never two batches of one subscription closer than the window
    for (let i = 1; i < batches.length; i += 1) {
      const gap = (batches[i]?.heardAt ?? 0) - (batches[i - 1]?.heardAt ?? 0);
      expect(gap).toBeGreaterThanOrEqual(liveBatchMs - 25);
    }
    const names = eventNames(client, 'all');
    expect(names.filter((n) => n === 'added c')).toHaveLength(1);
    expect(names.indexOf('added c')).toBeLessThan(names.indexOf('deleted c'));
  });

  it('shows objects entering and leaving a label selection as added and deleted', async () => {
    client.send(subscribe('web', { labelSelector: 'app=web' }));
    const snapshot = await client.waitFor((m) => m.type === LiveType.snapshot && m.id === 'web');
    expect(
      snapshot.type === LiveType.snapshot && snapshot.items.map((o) => o.metadata.name),
    ).toEqual(['a']);
    await label('b', { app: 'web' });
    await client.waitFor(() => eventNames(client, 'web').includes('added b'));
    await label('b', { app: null });
    await client.waitFor(() => eventNames(client, 'web').includes('deleted b'));
    expect(eventNames(client, 'web')).not.toContain('added d');
  });

  it('stops sending after unsubscribe and lets the informer go', async () => {
    client.send(subscribe('brief', { namespace: other.name }));
    await client.waitFor((m) => m.type === LiveType.snapshot && m.id === 'brief');
    expect(usersOf(other.name)).toBe(1);
    client.send({ type: LiveType.unsubscribe, id: 'brief' });
    await eventually(() => usersOf(other.name) === 0);
    await createPods(admin, other.name, [{ name: 'unseen' }]);
    await new Promise((resolve) => setTimeout(resolve, liveBatchMs * 3));
    expect(client.about('brief', LiveType.events)).toEqual([]);
    // and after the idle time the informer stops
    await eventually(
      () => t.app.informers.running().every((i) => i.namespace !== other.name),
      5000,
    );
  });
});

describe('changes mode and heartbeat', () => {
  it('acknowledges, then counts changes', async () => {
    client.send(subscribe('paged', { mode: 'changes' }));
    await client.waitFor((m) => m.type === LiveType.subscribed && m.id === 'paged');
    await label('a', { touched: 'yes' });
    const changed = await client.waitFor((m) => m.type === LiveType.changed && m.id === 'paged');
    expect(changed.type === LiveType.changed && changed.count).toBeGreaterThanOrEqual(1);
  });

  it('sends heartbeats', async () => {
    const heartbeat = await client.waitFor((m) => m.type === LiveType.heartbeat);
    expect(heartbeat.type === LiveType.heartbeat && heartbeat.at).toBeGreaterThan(0);
  });
});

describe('refusals', () => {
  it('refuses a subscription the person may not watch, without starting an informer', async () => {
    const nina = await t.person(
      'nina',
      allow({ resources: ['pods'], verbs: ['list', 'watch'], namespaces: [ns.name] }),
    );
    const hers = await LiveClient.open(base, { ticket: await t.ticket(nina) });
    hers.send(subscribe('mine'));
    await hers.waitFor((m) => m.type === LiveType.snapshot && m.id === 'mine');
    hers.send(subscribe('theirs', { namespace: other.name }));
    hers.send(subscribe('everyone', { namespace: '' }));
    for (const id of ['theirs', 'everyone']) {
      const error = await hers.waitFor((m) => m.type === LiveType.error && m.id === id);
      expect(error).toMatchObject({ code: 'Forbidden', message: /You may not list pods/ });
    }
    expect(t.app.informers.running().filter((i) => i.namespace === other.name)).toEqual([]);
    hers.close();
  });

  it('ends a subscription when the person loses the permission', async () => {
    const omar = await t.person('omar', allow({ resources: ['pods'], verbs: ['list', 'watch'] }));
    const his = await LiveClient.open(base, { headers: omar.headers });
    his.send(subscribe('kept'));
    await his.waitFor((m) => m.type === LiveType.snapshot && m.id === 'kept');
    const bindings = await t.app.inject({
      url: '/k8s-api/v1/rolebindings',
      query: { subject: 'omar' },
      headers: t.admin.headers,
    });
    const [binding] = bindings.json<{ items: { id: string }[] }>().items;
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/k8s-api/v1/rolebindings/${binding?.id ?? ''}`,
      headers: t.admin.headers,
    });
    expect(removed.statusCode, removed.body).toBe(204);
    // the roles cache lets a change through within seconds; the re-check runs every 200 ms here
    const error = await his.waitFor((m) => m.type === LiveType.error && m.id === 'kept', 15_000);
    expect(error).toMatchObject({ code: 'Forbidden', message: /may not list pods.*ended/ });
    his.close();
  });

  it('refuses a person who may list but not watch', async () => {
    const lisa = await t.person('lisa', allow({ resources: ['pods'], verbs: ['list'] }));
    const hers = await LiveClient.open(base, { headers: lisa.headers });
    hers.send(subscribe('x'));
    const error = await hers.waitFor((m) => m.type === LiveType.error);
    expect(error).toMatchObject({ id: 'x', code: 'Forbidden', message: /may not watch pods/ });
    hers.close();
  });

  it.each([
    ['an unknown resource', { resource: 'gadgets' }, 'NotFound', /no resource "gadgets"/],
    ['an unknown cluster', { cluster: 'no-such-cluster' }, 'NotFound', /No cluster/],
    ['a namespace of nodes', { resource: 'nodes' }, 'BadRequest', /Nodes are not namespaced/],
    ['a broken selector', { labelSelector: 'a in (b' }, 'BadRequest', /labelSelector/],
  ])('answers %s with an error for that subscription', async (what, extra, code, message) => {
    const id = `bad-${what.replaceAll(' ', '-')}`;
    client.send(subscribe(id, extra));
    const error = await client.waitFor((m) => m.type === LiveType.error && m.id === id);
    expect(error).toMatchObject({ code, message });
  });

  it('answers a message it cannot read, and a subscription id in use', async () => {
    client.send('not json');
    const error = await client.waitFor((m) => m.type === LiveType.error && !('id' in m));
    expect(error).toMatchObject({ code: 'BadRequest' });
    client.send(subscribe('all'));
    const conflict = await client.waitFor(
      (m) => m.type === LiveType.error && m.id === 'all' && m.code === 'Conflict',
    );
    expect(conflict).toMatchObject({ message: /exists/ });
  });

  it('refuses an upgrade without a ticket or with a spent one', async () => {
    await expect(LiveClient.open(base)).rejects.toThrow(/401/);
    const ticket = await t.ticket(t.admin);
    (await LiveClient.open(base, { ticket })).close();
    await expect(LiveClient.open(base, { ticket })).rejects.toThrow(/401/);
  });
});
