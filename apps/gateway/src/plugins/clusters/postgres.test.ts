// The import on PostgreSQL: the same records, the same conflict answers, one transaction.
import { core } from '@binnacle/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/postgres.js';
import { insertClusters, isUniqueViolation } from './store.js';
import { as, clustersTestApp, type ClustersTestApp } from '../../../test/clusters-app.js';
import { adminKubeconfig } from '../../../test/clusters-cluster.js';

const url = '/k8s-api/v1/clusters';
const admin = adminKubeconfig();

describe('clusters on PostgreSQL', () => {
  let database: { url: string; stop: () => Promise<void> };
  let t: ClustersTestApp;
  let id: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await clustersTestApp({ db: { dialect: 'postgres', url: database.url, poolMax: 4 } });
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await database.stop();
  });

  it('imports the admin kubeconfig and reaches the cluster', async () => {
    expect(t.app.dbDialect).toBe('postgres');
    const res = await t.app.inject({
      method: 'POST',
      url: `${url}/import`,
      headers: as('ada'),
      payload: { kubeconfig: admin.text },
    });
    expect(res.statusCode).toBe(201);
    const [created] = res.json<{ items: { id: string; name: string }[] }>().items;
    id = created?.id ?? '';
    expect(created?.name).toBe(admin.context);

    const list = await t.app.inject({ method: 'GET', url, headers: as('ada') });
    expect(list.json()).toMatchObject({ items: [{ id, name: admin.context }] });
    const client = await t.app.clusters.client(id);
    expect((await client.get(core.namespaces, { name: 'demo' })).metadata.name).toBe('demo');
  });

  it('answers a taken name with 409 and writes nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${url}/import`,
      headers: as('ada'),
      payload: { kubeconfig: admin.text },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      code: 'Conflict',
      message: `A cluster named "${admin.context}" already exists; choose another name.`,
      details: { names: [admin.context] },
    });
    expect(await t.app.db.selectFrom('clusters').select('id').execute()).toEqual([{ id }]);
  });

  it('rolls a failed multi-cluster insert back whole', async () => {
    const row = (rowId: string, name: string) => ({
      id: rowId,
      name,
      server: admin.server,
      identityMode: 'gateway' as const,
      sealed: 'v1:test:x:y',
    });
    const err = await insertClusters(t.app.db, {
      clusters: [row('new-one', 'fresh'), row('new-two', admin.context)],
      createdBy: undefined,
      now: Date.now(),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(err)).toBe(true);
    expect(await t.app.db.selectFrom('clusters').select('id').execute()).toEqual([{ id }]);
    expect(await t.app.db.selectFrom('cluster_credentials').select('cluster_id').execute()).toEqual(
      [{ cluster_id: id }],
    );
  });
});
