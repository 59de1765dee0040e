// Kubeconfig import against the real test cluster, on SQLite: the cluster it makes, its health,
// its client and its sealed credential; what an administrator's relaxed policy lets in.
import { core } from '@binnacle/kube';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeyringError } from '../keyring/index.js';
import {
  as,
  clustersTestApp,
  refusedImport,
  type ClusterViewBody,
  type ClustersTestApp,
} from '../../../test/clusters-app.js';
import { adminKubeconfig, kubeconfigOf } from '../../../test/clusters-cluster.js';

const url = '/k8s-api/v1/clusters';
const admin = adminKubeconfig();
let t: ClustersTestApp;
type View = ClusterViewBody;

beforeAll(async () => {
  t = await clustersTestApp();
});
afterAll(() => t.close());

function post(path: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `${url}${path}`, headers: as('ada'), payload });
}

describe('importing the test cluster admin kubeconfig', () => {
  let created: View;

  beforeAll(async () => {
    const res = await post('/import', { kubeconfig: admin.text });
    expect(res.statusCode).toBe(201);
    const { items } = res.json<{ items: View[] }>();
    expect(items).toHaveLength(1);
    created = items[0] as View;
  });

  it('creates one cluster per context, named after it, without credentials in the answer', () => {
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      name: admin.context,
      server: admin.server,
      identityMode: 'gateway',
      createdAt: expect.any(String) as unknown,
      updatedAt: expect.any(String) as unknown,
      health: expect.any(Object) as unknown,
    });
  });

  it('lists it as healthy with the API server version, right after the import', async () => {
    const listed = await vi.waitFor(
      async () => {
        const res = await t.app.inject({ method: 'GET', url, headers: as('ada') });
        expect(res.statusCode).toBe(200);
        const { items } = res.json<{ items: View[] }>();
        const found = items.find((c) => c.id === created.id);
        expect(found?.health.checkedAt).not.toBeNull();
        expect(res.body).not.toContain('BEGIN');
        return found;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(listed?.health).toEqual({
      reachable: true,
      version: expect.stringMatching(/^v1\.36\.\d+/) as unknown,
      latencyMs: expect.any(Number) as unknown,
      lastError: null,
      checkedAt: expect.any(String) as unknown,
    });
    expect(t.app.clusters.health(created.id)).toEqual(listed?.health);
    const one = await t.app.inject({
      method: 'GET',
      url: `${url}/${created.id}`,
      headers: as('ada'),
    });
    expect(one.json()).toEqual(listed);
  });

  it('serves a client that reaches the cluster', async () => {
    const client = await t.app.clusters.client(created.id);
    const names: string[] = [];
    for await (const ns of client.listAll(core.namespaces)) {
      names.push(ns.metadata.name ?? '');
    }
    expect(names).toContain('demo');
    expect(await t.app.clusters.client(created.id)).toBe(client);
  });

  it('stores the credential sealed for this cluster only', async () => {
    const { sealed } = await t.app.db
      .selectFrom('cluster_credentials')
      .select('sealed')
      .where('cluster_id', '=', created.id)
      .executeTakeFirstOrThrow();
    const pemBody = (pem: string): string => pem.split('\n')[1] ?? pem;
    const secrets = [
      admin.server,
      new URL(admin.server).host,
      'BEGIN',
      pemBody(admin.key),
      pemBody(admin.cert),
      Buffer.from(admin.key).toString('base64').slice(0, 40),
      Buffer.from(admin.cert).toString('base64').slice(0, 40),
    ];
    for (const secret of secrets) expect(sealed).not.toContain(secret);
    expect(sealed).toMatch(/^v1:test:/);

    expect(() => t.app.keyring.open(sealed, { aad: 'another-cluster' })).toThrow(KeyringError);
    const opened: unknown = JSON.parse(
      t.app.keyring.open(sealed, { aad: created.id }).toString('utf8'),
    );
    expect(opened).toEqual({
      kind: 'connection',
      connection: { server: admin.server, ca: admin.ca, cert: admin.cert, key: admin.key },
    });
  });

  it('refuses the same name again (409), naming it, and writes nothing', async () => {
    expect(await refusedImport(t.app, { kubeconfig: admin.text })).toEqual({
      status: 409,
      body: {
        code: 'Conflict',
        message: `A cluster named "${admin.context}" already exists; choose another name.`,
        details: { names: [admin.context] },
      },
    });
  });

  it('imports under a name of its choosing, in impersonate mode', async () => {
    const res = await post('/import', {
      kubeconfig: admin.text,
      names: { [admin.context]: 'imported-again' },
      identityMode: 'impersonate',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      items: [{ name: 'imported-again', identityMode: 'impersonate' }],
    });
  });

  it('imports only the chosen contexts: a refused entry of another context is no obstacle', async () => {
    const kubeconfig = kubeconfigOf(admin, {
      good: {},
      bad: { user: { exec: { command: 'aws', apiVersion: 'client.authentication.k8s.io/v1' } } },
    });
    const res = await post('/import', { kubeconfig, contexts: ['good'] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ items: [{ name: 'good' }] });
  });

  it('records an unreachable cluster with the client error, never a credential', async () => {
    const kubeconfig = kubeconfigOf(admin, {
      closed: { cluster: { server: 'https://127.0.0.1:1' } },
    });
    const res = await post('/import', { kubeconfig });
    expect(res.statusCode).toBe(201);
    const [cluster] = res.json<{ items: View[] }>().items;
    const health = await vi.waitFor(
      () => {
        const found = t.app.clusters.health(cluster?.id ?? '');
        expect(found.checkedAt).not.toBeNull();
        return found;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(health).toEqual({
      reachable: false,
      version: null,
      latencyMs: null,
      lastError: 'cannot reach 127.0.0.1:1/version (ECONNREFUSED)',
      checkedAt: expect.any(String) as unknown,
    });
  });
});

describe('an administrator relaxing the policy', () => {
  let relaxed: ClustersTestApp;
  beforeAll(async () => {
    relaxed = await clustersTestApp({
      env: { BINNACLE_ALLOW_INSECURE_CLUSTERS: 'true', BINNACLE_ALLOW_EXEC_PLUGINS: 'true' },
    });
  });
  afterAll(() => relaxed.close());

  it('lets insecure-skip-tls-verify in', async () => {
    const kubeconfig = kubeconfigOf(admin, {
      insecure: {
        cluster: { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true },
      },
    });
    const res = await relaxed.app.inject({
      method: 'POST',
      url: `${url}/import`,
      payload: { kubeconfig },
    });
    expect(res.statusCode).toBe(201);
    const [cluster] = res.json<{ items: View[] }>().items;
    const client = await relaxed.app.clusters.client(cluster?.id ?? '');
    expect((await client.get(core.namespaces, { name: 'demo' })).metadata.name).toBe('demo');
  });

  it('still refuses exec plugins, since the client cannot run them', async () => {
    const kubeconfig = kubeconfigOf(admin, {
      exec: { userName: 'exec-user', user: { exec: { command: 'aws' } } },
    });
    const res = await relaxed.app.inject({
      method: 'POST',
      url: `${url}/import`,
      payload: { kubeconfig },
    });
    expect(res.statusCode).toBe(400);
    const message =
      'user "exec-user" uses an exec plugin; exec credential plugins are not supported by Binnacle\'s client — use a token or a client certificate';
    expect(res.json()).toEqual({
      code: 'Refused',
      message: `This kubeconfig cannot be imported: ${message}`,
      details: {
        refusals: [{ context: 'exec', entry: 'users[0] "exec-user"', field: 'exec', message }],
      },
    });
  });
});
