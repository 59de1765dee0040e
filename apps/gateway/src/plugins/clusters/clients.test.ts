// Clients against the real test cluster: impersonation, caller headers, the cache across updates
// and deletes, and ids that are no ids.
import { core, KubeError } from '@binnacle/kube';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../errors/index.js';
import {
  as,
  clustersTestApp,
  rejection,
  testUser,
  type ClustersTestApp,
} from '../../../test/clusters-app.js';
import {
  importAdmin as importInto,
  whoami,
  whoamiBody,
  whoamiPath,
  type SelfSubjectReview,
} from '../../../test/clusters-cluster.js';

const url = '/k8s-api/v1/clusters';
let t: ClustersTestApp;

/**
 * A careless handler: it passes every header of the browser's request on to the cluster. The
 * kube transport must still drop the caller's Impersonate-* headers.
 */
function forwardingRoute(app: FastifyInstance): void {
  app.post<{ Params: { id: string } }>('/test/whoami/:id', async (request) => {
    const user = request.user ?? testUser('nobody');
    const client = await app.clusters.clientFor(request.params.id, user);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !['host', 'content-length'].includes(name)) {
        headers[name] = value;
      }
    }
    return (await whoami(client, headers)).status.userInfo;
  });
}

const importAdmin = (name: string, identityMode: 'gateway' | 'impersonate') =>
  importInto(t.app, { name, identityMode });

beforeAll(async () => {
  t = await clustersTestApp({ routes: forwardingRoute });
});
afterAll(() => t.close());

describe('identity modes', () => {
  let gatewayId: string;
  let impersonateId: string;
  beforeAll(async () => {
    gatewayId = await importAdmin('as-gateway', 'gateway');
    impersonateId = await importAdmin('as-person', 'impersonate');
  });

  it('acts as the person in impersonate mode: the cluster RBAC decides', async () => {
    const viewer = await t.app.clusters.clientFor(impersonateId, {
      username: 'demo-viewer',
      groups: [],
    });
    const pods = await viewer.list(core.pods, { namespace: 'demo' });
    expect(pods.items.length).toBeGreaterThan(0);
    const denied = await rejection(viewer.list(core.pods, { namespace: 'kube-system' }));
    expect(denied).toBeInstanceOf(KubeError);
    expect(denied).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect((await whoami(viewer)).status.userInfo).toMatchObject({
      username: 'demo-viewer',
      groups: ['system:authenticated'],
    });
  });

  it('never passes on a group named system:…, nor a user name of Kubernetes', async () => {
    const viewer = await t.app.clusters.clientFor(impersonateId, {
      username: 'demo-viewer',
      groups: ['system:masters', 'team-a'],
    });
    expect((await whoami(viewer)).status.userInfo).toMatchObject({
      username: 'demo-viewer',
      groups: ['team-a', 'system:authenticated'],
    });
    expect(await rejection(viewer.list(core.pods, { namespace: 'kube-system' }))).toMatchObject({
      code: 403,
    });
    const reserved = await rejection(
      t.app.clusters.clientFor(impersonateId, { username: 'system:admin', groups: [] }),
    );
    expect(reserved).toBeInstanceOf(HttpError);
    expect(reserved).toMatchObject({ statusCode: 403 });
  });

  it('acts with the stored credential in gateway mode', async () => {
    const client = await t.app.clusters.clientFor(gatewayId, {
      username: 'demo-viewer',
      groups: [],
    });
    expect(client).toBe(await t.app.clusters.client(gatewayId));
    const pods = await client.list(core.pods, { namespace: 'kube-system' });
    expect(pods.items).toBeInstanceOf(Array);
  });

  it('does not forward a browser’s Impersonate-* headers', async () => {
    // the headers would work if they got through: the admin credential may impersonate anyone
    const direct = await t.app.clusters.client(gatewayId);
    const honoured = await direct.request<SelfSubjectReview>({
      method: 'POST',
      path: whoamiPath,
      body: whoamiBody,
      impersonate: { user: 'demo-viewer' },
    });
    expect(honoured.status.userInfo.username).toBe('demo-viewer');

    const viaGateway = await t.app.inject({
      method: 'POST',
      url: `/test/whoami/${gatewayId}`,
      headers: { ...as('mallory'), 'Impersonate-User': 'demo-viewer' },
    });
    const stored = (await whoami(direct)).status.userInfo.username;
    expect(stored).not.toBe('demo-viewer');
    expect(viaGateway.json()).toMatchObject({ username: stored });

    const viaPerson = await t.app.inject({
      method: 'POST',
      url: `/test/whoami/${impersonateId}`,
      headers: {
        ...as('mallory'),
        'Impersonate-User': 'binnacle-admin',
        'Impersonate-Group': 'system:masters',
        'Impersonate-Extra-Scopes': 'all',
      },
    });
    expect(viaPerson.json()).toEqual({
      username: 'mallory',
      groups: ['system:authenticated'],
    });
  });

  it('changes mode on update, dropping the cached client', async () => {
    const before = await t.app.clusters.client(gatewayId);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `${url}/${gatewayId}`,
      headers: as('ada'),
      payload: { identityMode: 'impersonate', name: 'as-gateway-renamed' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'as-gateway-renamed', identityMode: 'impersonate' });
    expect(await rejection(before.list(core.namespaces))).toMatchObject({
      message: 'the cluster client is closed',
    });
    const viewer = await t.app.clusters.clientFor(gatewayId, {
      username: 'demo-viewer',
      groups: [],
    });
    expect(await rejection(viewer.list(core.pods, { namespace: 'kube-system' }))).toMatchObject({
      code: 403,
    });
  });

  it('refuses a rename to a name another cluster has, and an empty change', async () => {
    const taken = await t.app.inject({
      method: 'PATCH',
      url: `${url}/${gatewayId}`,
      headers: as('ada'),
      payload: { name: 'as-person' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toEqual({
      code: 'Conflict',
      message: 'A cluster named "as-person" already exists; choose another name.',
      details: { names: ['as-person'] },
    });
    const empty = await t.app.inject({
      method: 'PATCH',
      url: `${url}/${gatewayId}`,
      headers: as('ada'),
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
  });
});

describe('deleting a cluster', () => {
  it('removes it with its credential, and closes and drops its client', async () => {
    const id = await importAdmin('to-delete', 'gateway');
    const client = await t.app.clusters.client(id);
    await client.get(core.namespaces, { name: 'demo' });

    const res = await t.app.inject({ method: 'DELETE', url: `${url}/${id}`, headers: as('ada') });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');

    expect(await rejection(client.get(core.namespaces, { name: 'demo' }))).toMatchObject({
      reason: 'Aborted',
    });
    const gone = await rejection(t.app.clusters.client(id));
    expect(gone).toBeInstanceOf(HttpError);
    expect(gone).toMatchObject({ statusCode: 404, message: `No cluster has "${id}".` });
    const credentials = await t.app.db
      .selectFrom('cluster_credentials')
      .selectAll()
      .where('cluster_id', '=', id)
      .execute();
    expect(credentials).toEqual([]);
    const again = await t.app.inject({ method: 'DELETE', url: `${url}/${id}`, headers: as('ada') });
    expect(again.statusCode).toBe(404);
    const read = await t.app.inject({ method: 'GET', url: `${url}/${id}`, headers: as('ada') });
    expect(read.json()).toEqual({ code: 'NotFound', message: `No cluster has "${id}".` });
  });

  it('drops a client whose cluster another replica deleted', async () => {
    const id = await importAdmin('deleted-elsewhere', 'gateway');
    await t.app.clusters.client(id);
    await t.app.db.deleteFrom('clusters').where('id', '=', id).execute();
    expect(await rejection(t.app.clusters.client(id))).toMatchObject({ statusCode: 404 });
  });
});

describe('ids and names that could escape', () => {
  it.each([
    ['GET', '..%2F..%2Fetc%2Fpasswd'],
    ['GET', 'a%2Fb'],
    ['GET', 'UPPER'],
    ['GET', 'a'.repeat(64)],
    ['GET', 'a%00b'],
    ['PATCH', '..%2Fclusters'],
    ['DELETE', '%2E%2E%2F%2E%2E'],
  ] as const)('%s %s is a 400', async (method, id) => {
    const res = await t.app.inject({
      method,
      url: `${url}/${id}`,
      headers: as('ada'),
      ...(method === 'PATCH' ? { payload: { name: 'x' } } : {}),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BadRequest' });
  });

  it.each([
    '/k8s-api/v1/clusters/%2E%2E',
    '/k8s-api/v1/clusters/../clusters/x/y',
    '/k8s-api/v1/clusters/a/b',
  ])('%s is no route', async (path) => {
    const res = await t.app.inject({ method: 'DELETE', url: path, headers: as('ada') });
    expect([400, 404]).toContain(res.statusCode);
  });

  it('answers an id of the right shape that names nothing with 404', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const res = await t.app.inject({ method: 'GET', url: `${url}/${id}`, headers: as('ada') });
    expect(res.statusCode).toBe(404);
  });

  it.each(['../x', 'a/b', '', 'A'])('client(%j) is a 404, without a query', async (id) => {
    const err = await rejection(t.app.clusters.client(id));
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ statusCode: 404, message: 'No cluster has that id.' });
  });
});
