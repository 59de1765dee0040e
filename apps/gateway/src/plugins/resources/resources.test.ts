// The resource routes against the real test cluster: lists from the shared cache (page, sort,
// selectors, search), get, delete, scale, the audit record, and the 400s, 403s and 404s.
import { resourcePaths, type ListResponse } from '@binnacle/contract';
import { core, type KubeObject } from '@binnacle/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import { allow, resourcesTestApp, type ResourcesTestApp } from '../../../test/resources-app.js';
import {
  createPods,
  deployment,
  eventually,
  upstreamGets,
} from '../../../test/resources-cluster.js';
import { builtinRoles } from '../rbac/index.js';

const ns = useNamespace('res');
const other = useNamespace('res-other');
const admin = adminClient();
let t: ResourcesTestApp;
let cluster: string;

beforeAll(async () => {
  t = await resourcesTestApp({ resources: { informerIdleMs: 60_000 } });
  cluster = await t.importCluster('resources');
  await createPods(admin, ns.name, [
    ...[1, 2, 3, 4, 5, 6].map((i) => ({
      name: `web-${String(i)}`,
      labels: { app: 'web', tier: i <= 3 ? 'front' : 'edge' },
    })),
    ...[1, 2, 3].map((i) => ({ name: `api-${String(i)}`, labels: { app: 'api', tier: 'back' } })),
    { name: 'lone' },
  ]);
  await createPods(admin, other.name, [{ name: 'elsewhere' }]);
  await admin.create(core.deployments, deployment(other.name, 'scaled', 1));
});
afterAll(async () => {
  await t.close();
  await admin.close();
});

const pods = () => resourcePaths.collection(cluster, 'pods');

async function list(query: Record<string, string | number>, headers = t.admin.headers) {
  const res = await t.app.inject({ url: pods(), query: stringify(query), headers });
  return res;
}

function stringify(query: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
}

const names = (body: ListResponse<KubeObject>) => body.items.map((o) => o.metadata.name);

describe('lists', () => {
  it('pages and sorts the pods of a namespace', async () => {
    const first = await list({ namespace: ns.name, pageSize: 4 });
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json<ListResponse<KubeObject>>();
    expect(body).toMatchObject({ total: 10, page: 1, pageSize: 4 });
    expect(names(body)).toEqual(['api-1', 'api-2', 'api-3', 'lone']);
    const last = await list({ namespace: ns.name, pageSize: 4, page: 3 });
    expect(names(last.json())).toEqual(['web-5', 'web-6']);
    const desc = await list({ namespace: ns.name, pageSize: 3, order: 'desc' });
    expect(names(desc.json())).toEqual(['web-6', 'web-5', 'web-4']);
    const byNamespace = await list({ namespace: ns.name, sort: 'namespace', pageSize: 2 });
    expect(names(byNamespace.json())).toEqual(['api-1', 'api-2']);
  });

  it('leaves managedFields out', async () => {
    const body = (await list({ namespace: ns.name, pageSize: 1 })).json<ListResponse<KubeObject>>();
    expect(body.items[0]?.metadata.uid).toBeTruthy();
    expect(body.items[0]?.metadata).not.toHaveProperty('managedFields');
  });

  it.each([
    ['app=web', 6],
    ['app=web,tier in (front)', 3],
    ['tier notin (front,edge)', 4],
    ['app', 9],
    ['!app', 1],
    ['app!=web', 4],
  ])('selects by labels: %s', async (labelSelector, total) => {
    const res = await list({ namespace: ns.name, labelSelector });
    expect(res.json()).toMatchObject({ total });
  });

  it.each([
    ['metadata.name=web-1', 1],
    ['metadata.labels.tier=back', 3],
    ['spec.nodeSelector.type=kwok,metadata.name!=lone', 9],
  ])('selects by fields: %s', async (fieldSelector, total) => {
    expect((await list({ namespace: ns.name, fieldSelector })).json()).toMatchObject({ total });
  });

  it('searches without regard to case', async () => {
    const res = await list({ namespace: ns.name, search: 'API-' });
    expect(names(res.json())).toEqual(['api-1', 'api-2', 'api-3']);
  });

  it('serves a scope already cached from memory, with changes seen', async () => {
    await list({ namespace: ns.name });
    const before = await upstreamGets(t.app, cluster);
    await createPods(admin, ns.name, [{ name: 'late', labels: { app: 'late' } }]);
    await eventually(async () => {
      const res = await list({ namespace: ns.name, labelSelector: 'app=late' });
      return res.json<ListResponse<KubeObject>>().total === 1;
    });
    expect(await upstreamGets(t.app, cluster)).toBe(before);
    await admin.delete(core.pods, { namespace: ns.name, name: 'late' }, { gracePeriodSeconds: 0 });
  });

  it('lists every namespace for someone who may', async () => {
    const res = await list({ fieldSelector: `metadata.namespace=${other.name}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(names(res.json())).toContain('elsewhere');
  });

  it('lists cluster-scoped kinds', async () => {
    const res = await t.app.inject({
      url: resourcePaths.collection(cluster, 'namespaces'),
      query: { search: ns.name },
      headers: t.admin.headers,
    });
    expect(names(res.json())).toEqual([ns.name]);
  });
});

describe('one object', () => {
  it('gets a pod from the cache of a running informer', async () => {
    await list({ namespace: ns.name });
    const before = await upstreamGets(t.app, cluster);
    const res = await t.app.inject({
      url: resourcePaths.object(cluster, 'pods', 'web-1'),
      query: { namespace: ns.name },
      headers: t.admin.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'Pod', metadata: { name: 'web-1' } });
    expect(await upstreamGets(t.app, cluster)).toBe(before);
  });

  it('gets from the API server when no informer holds the kind', async () => {
    const before = await upstreamGets(t.app, cluster);
    const res = await t.app.inject({
      url: resourcePaths.object(cluster, 'deployments.apps', 'scaled'),
      query: { namespace: other.name },
      headers: t.admin.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<KubeObject>().metadata).not.toHaveProperty('managedFields');
    expect(await upstreamGets(t.app, cluster)).toBe(before + 1);
  });

  it.each([
    ['pods', 'nope', /No Pod named "nope" in namespace/],
    ['deployments.apps', 'nope', /"nope" not found/],
  ])('answers 404 for a missing %s', async (resource, name, message) => {
    const res = await t.app.inject({
      url: resourcePaths.object(cluster, resource, name),
      query: { namespace: ns.name },
      headers: t.admin.headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NotFound', message });
  });

  it('scales a Deployment through its scale subresource', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: resourcePaths.scale(cluster, 'deployments.apps', 'scaled'),
      query: { namespace: other.name },
      headers: t.admin.headers,
      payload: { replicas: 3 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ replicas: 3 });
    const found = await admin.get<KubeObject & { spec: { replicas: number } }>(core.deployments, {
      namespace: other.name,
      name: 'scaled',
    });
    expect(found.spec.replicas).toBe(3);
  });

  it('deletes a pod and records who did, with its name', async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: resourcePaths.object(cluster, 'pods', 'lone'),
      query: { namespace: ns.name },
      headers: t.admin.headers,
    });
    expect(res.statusCode, res.body).toBe(204);
    const gone = await admin
      .get(core.pods, { namespace: ns.name, name: 'lone' })
      .then((pod) => pod.metadata.deletionTimestamp !== undefined)
      .catch(() => true);
    expect(gone).toBe(true);
    await t.app.audit.flush();
    const audit = await t.app.inject({
      url: '/k8s-api/v1/audit',
      query: { actor: 'admin', cluster },
      headers: t.admin.headers,
    });
    expect(audit.json<{ items: unknown[] }>().items).toContainEqual(
      expect.objectContaining({
        verb: 'delete',
        kind: 'pods',
        name: 'lone',
        namespace: ns.name,
        result: 'success',
      }),
    );
  });
});

describe('refusals', () => {
  it('refuses a viewer deleting or scaling, and records the refusal', async () => {
    const viewer = await t.person('vera', builtinRoles.viewer);
    const del = await t.app.inject({
      method: 'DELETE',
      url: resourcePaths.object(cluster, 'pods', 'web-1'),
      query: { namespace: ns.name },
      headers: viewer.headers,
    });
    expect(del.statusCode).toBe(403);
    expect(del.json()).toMatchObject({ code: 'Forbidden', message: /You may not delete pods/ });
    const scale = await t.app.inject({
      method: 'PUT',
      url: resourcePaths.scale(cluster, 'deployments.apps', 'scaled'),
      query: { namespace: other.name },
      headers: viewer.headers,
      payload: { replicas: 0 },
    });
    expect(scale.statusCode).toBe(403);
    expect((await list({ namespace: ns.name }, viewer.headers)).statusCode).toBe(200);
  });

  it('keeps someone bound to one namespace inside it', async () => {
    const nina = await t.person(
      'nina',
      allow({ resources: ['pods'], verbs: ['list', 'get'], namespaces: [ns.name] }),
    );
    expect((await list({ namespace: ns.name }, nina.headers)).statusCode).toBe(200);
    const elsewhere = await list({ namespace: other.name }, nina.headers);
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json()).toMatchObject({ code: 'Forbidden' });
    expect((await list({}, nina.headers)).statusCode).toBe(403);
  });

  it.each([
    ['an unknown sort column', { sort: 'colour' }, /sort by one of: name, namespace, ready/],
    ['a broken label selector', { labelSelector: 'app in (web' }, /labelSelector/],
    ['a broken field selector', { fieldSelector: 'status.phase' }, /fieldSelector/],
    ['a namespace that is none', { namespace: 'Not_A_Namespace' }, /not a valid namespace/],
    ['a page too large', { pageSize: 100_000 }, /pageSize/],
  ])('answers 400 to %s', async (_what, query, message) => {
    const res = await list({ namespace: ns.name, ...query });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BadRequest', message });
  });

  it('answers 400 to a namespace for a cluster-scoped kind, and to none for a pod', async () => {
    const nodes = await t.app.inject({
      url: resourcePaths.collection(cluster, 'nodes'),
      query: { namespace: 'demo' },
      headers: t.admin.headers,
    });
    expect(nodes.statusCode).toBe(400);
    expect(nodes.json()).toMatchObject({ message: /Nodes are not namespaced/ });
    const pod = await t.app.inject({
      url: resourcePaths.object(cluster, 'pods', 'web-1'),
      headers: t.admin.headers,
    });
    expect(pod.statusCode).toBe(400);
    expect(pod.json()).toMatchObject({ message: /add the namespace parameter/ });
  });

  it('answers 404 for a cluster that does not exist', async () => {
    const res = await t.app.inject({
      url: resourcePaths.collection('00000000-0000-4000-8000-000000000000', 'pods'),
      headers: t.admin.headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NotFound', message: /No cluster/ });
  });
});
