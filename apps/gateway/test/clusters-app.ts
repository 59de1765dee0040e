// Test support for the clusters tests: errors + db + keyring + clusters on a fresh SQLite file (or a
// given database) with a random key, and an onRequest hook that takes `request.user` from the
// `x-test-user` and `x-test-groups` headers in place of the auth plugin. It refuses to load outside
// vitest, so it can never sign anyone in for real.
import { randomBytes } from 'node:crypto';
import type { InClusterOptions } from '@binnacle/kube';
import type { FastifyInstance } from 'fastify';
import type { Resolve } from '../src/plugins/clusters/addresses/policy.js';
import { testClusterAllowance } from './app.js';
import { as, baseTestApp, testUser } from './header-user.js';
import { expect } from 'vitest';
import { loadClusterAddressConfig } from '../src/config/cluster-addresses.js';
import { loadClustersConfig } from '../src/config/clusters.js';
import type { DbConfig } from '../src/config/db.js';
import { loadKeyringConfig } from '../src/config/keyring.js';
import keyring from '../src/plugins/keyring/index.js';
import clusters from '../src/plugins/clusters/index.js';

if (process.env.VITEST === undefined) throw new Error('test-app.ts is test support only');

export interface ClustersTestApp {
  app: FastifyInstance;
  /** Closes the app and removes its SQLite file. */
  close: () => Promise<void>;
}

export interface ClustersTestOptions {
  /** A database to use; a fresh SQLite file otherwise. */
  db?: DbConfig;
  /**
   * Environment for loadClustersConfig (BINNACLE_ALLOW_*) and the address rules
   * (BINNACLE_CLUSTER_*_CIDRS; loopback is allowed for the test cluster unless this overrides it).
   */
  env?: Record<string, string>;
  /** Resolves host names for the address checks (the system resolver otherwise). */
  resolve?: Resolve;
  inCluster?: InClusterOptions;
  /** Routes of the test, registered after the plugins. */
  routes?: (app: FastifyInstance) => void;
}

export async function clustersTestApp(options: ClustersTestOptions = {}): Promise<ClustersTestApp> {
  const { app, removeFiles } = await baseTestApp({ prefix: 'clusters', db: options.db });
  await app.register(
    keyring,
    loadKeyringConfig({ BINNACLE_KEYS: `test:${randomBytes(32).toString('base64')}` }),
  );
  await app.register(clusters, {
    ...loadClustersConfig(options.env ?? {}),
    addresses: loadClusterAddressConfig({ ...testClusterAllowance, ...options.env }),
    ...(options.inCluster ? { inCluster: options.inCluster } : {}),
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  options.routes?.(app);
  await app.ready();
  return {
    app,
    close: async () => {
      await app.close();
      await removeFiles();
    },
  };
}

/** A cluster as the routes answer it. */
export interface ClusterViewBody {
  id: string;
  name: string;
  server: string;
  identityMode: string;
  health: { reachable: boolean | null; version: string | null; checkedAt: string | null };
}

/** What a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

async function rowCounts(app: FastifyInstance): Promise<{ clusters: number; credentials: number }> {
  const clusters = await app.db.selectFrom('clusters').select('id').execute();
  const credentials = await app.db.selectFrom('cluster_credentials').select('cluster_id').execute();
  return { clusters: clusters.length, credentials: credentials.length };
}

/** The answer to an import that must be refused, after checking that nothing was written. */
export async function refusedImport(
  app: FastifyInstance,
  payload: Record<string, unknown>,
): Promise<{ status: number; body: unknown }> {
  const before = await rowCounts(app);
  const res = await app.inject({
    method: 'POST',
    url: '/k8s-api/v1/clusters/import',
    headers: as('ada'),
    payload,
  });
  expect(await rowCounts(app)).toEqual(before);
  return { status: res.statusCode, body: res.json() };
}

export { as, testUser };
