// Clusters from a server, CA and token, from the pod's own service account, and the store's
// all-or-none writes, against the real test cluster.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceAccountDir } from '@binnacle/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertClusters } from './store.js';
import { as, clustersTestApp, type ClustersTestApp } from '../../../test/clusters-app.js';
import {
  adminKubeconfig,
  importAdmin,
  useNamespace,
  whoami,
} from '../../../test/clusters-cluster.js';

const url = '/k8s-api/v1/clusters';
const admin = adminKubeconfig();
const ns = useNamespace('clusters');
let t: ClustersTestApp;

beforeAll(async () => {
  t = await clustersTestApp();
});
afterAll(() => t.close());

describe('adding a cluster from a server, CA and token', () => {
  let token: string;
  beforeAll(async () => {
    token = await ns.serviceAccountToken('binnacle');
  });

  it('stores it and reaches the cluster as that service account', async () => {
    for (const [name, ca] of [
      ['token-pem', admin.ca],
      ['token-base64', Buffer.from(admin.ca).toString('base64')],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: as('ada'),
        payload: { name, server: admin.server, ca, token },
      });
      expect(res.statusCode).toBe(201);
      expect(res.body).not.toContain(token);
      const { id } = res.json<{ id: string }>();
      const { userInfo } = (await whoami(await t.app.clusters.client(id))).status;
      expect(userInfo.username).toBe(`system:serviceaccount:${ns.name}:binnacle`);
    }
  });

  it.each([
    [
      'the metadata address',
      { server: 'https://169.254.169.254', ca: admin.ca },
      {
        code: 'Refused',
        message:
          'This cluster cannot be added: cluster "refused" server is refused: 169.254.169.254 is the cloud metadata address (169.254.169.254/32); an administrator can allow it with BINNACLE_CLUSTER_ALLOWED_CIDRS',
        details: {
          refusals: [
            {
              context: 'refused',
              entry: 'clusters[0] "refused"',
              field: 'server',
              message:
                'cluster "refused" server is refused: 169.254.169.254 is the cloud metadata address (169.254.169.254/32); an administrator can allow it with BINNACLE_CLUSTER_ALLOWED_CIDRS',
            },
          ],
        },
      },
    ],
    [
      'a file URL',
      { server: 'file:///etc/passwd' },
      {
        code: 'BadRequest',
        message: 'Invalid request: server must be an https:// or http:// URL.',
      },
    ],
    [
      'a URL with a password',
      { server: 'https://user:pw@10.0.0.1:6443' },
      {
        code: 'BadRequest',
        message: 'Invalid request: server must not carry a user name or password.',
      },
    ],
    [
      'a CA that is no PEM',
      { server: admin.server, ca: 'not a certificate' },
      {
        code: 'BadRequest',
        message:
          'Invalid request: ca must be PEM text (-----BEGIN CERTIFICATE----- …) or its base64, as in certificate-authority-data.',
      },
    ],
  ])('refuses %s', async (_what, fields, body) => {
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: as('ada'),
      payload: { name: 'refused', token: 'a-token', ...fields },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(body);
    const rows = await t.app.db
      .selectFrom('clusters')
      .select('id')
      .where('name', '=', 'refused')
      .execute();
    expect(rows).toEqual([]);
  });
});

describe('the in-cluster connection', () => {
  let root: string;
  let inPod: ClustersTestApp;
  let notInPod: ClustersTestApp;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'binnacle-pod-'));
    const dir = join(root, serviceAccountDir);
    await mkdir(dir, { recursive: true });
    const token = await ns.serviceAccountToken('gateway');
    await writeFile(join(dir, 'ca.crt'), admin.ca);
    await writeFile(join(dir, 'token'), token);
    await writeFile(join(dir, 'namespace'), ns.name);
    const server = new URL(admin.server);
    inPod = await clustersTestApp({
      inCluster: {
        root,
        env: { KUBERNETES_SERVICE_HOST: server.hostname, KUBERNETES_SERVICE_PORT: server.port },
      },
    });
    notInPod = await clustersTestApp({ inCluster: { root: join(root, 'nothing'), env: {} } });
  });
  afterAll(async () => {
    await inPod.close();
    await notInPod.close();
    await rm(root, { recursive: true, force: true });
  });

  it('adds the cluster the gateway runs in, with its service account', async () => {
    const res = await inPod.app.inject({
      method: 'POST',
      url: `${url}/in-cluster`,
      headers: as('ada'),
      payload: { name: 'here' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'here', server: admin.server });
    const { id } = res.json<{ id: string }>();
    const { sealed } = await inPod.app.db
      .selectFrom('cluster_credentials')
      .select('sealed')
      .where('cluster_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(inPod.app.keyring.open(sealed, { aad: id }).toString('utf8'))).toEqual({
      kind: 'in-cluster',
    });
    const { userInfo } = (await whoami(await inPod.app.clusters.client(id))).status;
    expect(userInfo.username).toBe(`system:serviceaccount:${ns.name}:gateway`);
  });

  it('says so when the gateway does not run in a pod', async () => {
    const res = await notInPod.app.inject({
      method: 'POST',
      url: `${url}/in-cluster`,
      headers: as('ada'),
      payload: { name: 'here' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'BadRequest',
      message: expect.stringMatching(
        /^The gateway is not running in a Kubernetes pod, so it has no in-cluster connection: KUBERNETES_SERVICE_HOST is not set \(not running in a pod\?\); /,
      ) as unknown,
    });
    expect(await notInPod.app.db.selectFrom('clusters').selectAll().execute()).toEqual([]);
  });
});

describe('the store', () => {
  it('writes clusters and credentials all or none', async () => {
    await importAdmin(t.app, { name: 'first-of-two', identityMode: 'gateway' });
    const before = await t.app.db.selectFrom('clusters').select('id').execute();
    const row = (id: string, name: string) => ({
      id,
      name,
      server: admin.server,
      identityMode: 'gateway' as const,
      sealed: 'v1:test:x:y',
    });
    await expect(
      insertClusters(t.app.db, {
        clusters: [row('new-one', 'second-of-two'), row('new-two', 'first-of-two')],
        createdBy: undefined,
        now: Date.now(),
      }),
    ).rejects.toThrow(/unique/i);
    expect(await t.app.db.selectFrom('clusters').select('id').execute()).toEqual(before);
    const orphans = await t.app.db
      .selectFrom('cluster_credentials')
      .select('cluster_id')
      .where('cluster_id', 'in', ['new-one', 'new-two'])
      .execute();
    expect(orphans).toEqual([]);
  });
});
