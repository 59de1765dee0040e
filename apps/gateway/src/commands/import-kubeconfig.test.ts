import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClusterAddressConfig } from '../config/cluster-addresses.js';
import { loadClustersConfig } from '../config/clusters.js';
import { createClusterAddresses } from '../plugins/clusters/addresses/policy.js';
import { openCredential } from '../plugins/clusters/credential.js';
import { importPolicy } from '../plugins/clusters/kubeconfig.js';
import { connectDb } from '../plugins/db/connect.js';
import { migrateToLatest } from '../plugins/db/migrate.js';
import type { Database } from '../plugins/db/schema.js';
import { createKeyring } from '../plugins/keyring/keyring.js';
import { KeyringKey } from '../plugins/keyring/keys.js';
import { importKubeconfig } from './import-kubeconfig.js';

const keyring = createKeyring({ keys: [new KeyringKey('k1', randomBytes(32))], activeKeyId: 'k1' });
// the servers below are internal addresses, allowed here as an administrator would
const addresses = createClusterAddresses(
  loadClusterAddressConfig({ BINNACLE_CLUSTER_ALLOWED_CIDRS: '127.0.0.0/8,10.0.0.0/8' }),
);
const policy = importPolicy(loadClustersConfig({}).importPolicy, addresses);

// JSON is YAML too. Three contexts: a token, an exec plugin (refused), a file path (refused).
const kubeconfig = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [
    { name: 'lab', cluster: { server: 'https://127.0.0.1:6443' } },
    {
      name: 'files',
      cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority': '/etc/ca.crt' },
    },
  ],
  users: [
    { name: 'token-user', user: { token: 'secret-token-value' } },
    {
      name: 'exec-user',
      user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'aws' } },
    },
  ],
  contexts: [
    { name: 'Lab_Admin', context: { cluster: 'lab', user: 'token-user' } },
    { name: 'eks', context: { cluster: 'lab', user: 'exec-user' } },
    { name: 'on-prem', context: { cluster: 'files', user: 'token-user' } },
  ],
  'current-context': 'Lab_Admin',
});

describe('importKubeconfig', () => {
  let dir: string;
  let db: Kysely<Database>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'binnacle-import-'));
    ({ db } = await connectDb({ dialect: 'sqlite', file: join(dir, 'binnacle.db') }));
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('registers the importable contexts and lists the refused ones with their reasons', async () => {
    const outcome = await importKubeconfig({ db, keyring, policy, addresses, text: kubeconfig });
    expect(outcome.added).toEqual([
      { context: 'Lab_Admin', name: 'lab-admin', server: 'https://127.0.0.1:6443' },
    ]);
    expect(outcome.existing).toEqual([]);
    expect(outcome.refused.map((r) => r.context).sort()).toEqual(['eks', 'on-prem']);
    const eks = outcome.refused.find((r) => r.context === 'eks');
    expect(eks?.reasons.join(' ')).toMatch(/exec/);
    const onPrem = outcome.refused.find((r) => r.context === 'on-prem');
    expect(onPrem?.reasons.join(' ')).toMatch(/certificate-authority/);

    const rows = await db
      .selectFrom('clusters')
      .innerJoin('cluster_credentials', 'cluster_id', 'id')
      .selectAll()
      .execute();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    if (row === undefined) throw new Error('no row');
    expect(row.sealed).not.toContain('secret-token-value');
    const credential = openCredential(keyring, { clusterId: row.id, sealed: row.sealed });
    expect(credential).toMatchObject({
      kind: 'connection',
      connection: { token: 'secret-token-value' },
    });
  });

  it('leaves registered clusters alone when run again', async () => {
    const outcome = await importKubeconfig({ db, keyring, policy, addresses, text: kubeconfig });
    expect(outcome.added).toEqual([]);
    expect(outcome.existing).toEqual([{ context: 'Lab_Admin', name: 'lab-admin' }]);
    const count = await db
      .selectFrom('clusters')
      .select(db.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(1);
  });

  it('refuses a file that is not a kubeconfig, saying why', async () => {
    await expect(
      importKubeconfig({ db, keyring, policy, addresses, text: 'just: [text' }),
    ).rejects.toThrow(/cannot be read/);
  });
});
