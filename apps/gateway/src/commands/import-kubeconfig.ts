// `node dist/commands/import-kubeconfig.js <kubeconfig>`: registers the contexts of a kubeconfig as
// clusters, straight into the store (DATABASE_URL or BINNACLE_DATA_DIR, sealed with the keyring
// variables), under the same import policy as the API. `make start` runs it before the gateway
// starts. Safe to run again: a context whose cluster name exists is left as it is. A refused context
// is listed with the reason and the others go on. Prints names and servers, never credentials.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { KubeconfigPolicy } from '@binnacle/kube';
import type { Kysely } from 'kysely';
import { loadClusterAddressConfig } from '../config/cluster-addresses.js';
import { loadClustersConfig } from '../config/clusters.js';
import { loadDbConfig } from '../config/db.js';
import { loadKeyringConfig } from '../config/keyring.js';
import {
  createClusterAddresses,
  type ClusterAddresses,
} from '../plugins/clusters/addresses/policy.js';
import { sealCredential } from '../plugins/clusters/credential.js';
import {
  importPolicy,
  planChecked,
  previewChecked,
  readKubeconfig,
} from '../plugins/clusters/kubeconfig.js';
import { insertClusters, takenNames } from '../plugins/clusters/store.js';
import { connectDb } from '../plugins/db/connect.js';
import { migrateToLatest } from '../plugins/db/migrate.js';
import type { Database } from '../plugins/db/schema.js';
import { createKeyring, type Keyring } from '../plugins/keyring/keyring.js';
import { runIfMain } from './run.js';

export interface ImportOutcome {
  added: { context: string; name: string; server: string }[];
  /** Contexts whose cluster name is registered already. */
  existing: { context: string; name: string }[];
  refused: { context: string; reasons: string[] }[];
}

export async function importKubeconfig(options: {
  db: Kysely<Database>;
  keyring: Keyring;
  policy: KubeconfigPolicy;
  addresses: ClusterAddresses;
  text: string;
}): Promise<ImportOutcome> {
  const { db, keyring, policy, addresses } = options;
  const kubeconfig = readKubeconfig(options.text);
  const outcome: ImportOutcome = { added: [], existing: [], refused: [] };
  const candidates: { context: string; name: string }[] = [];
  for (const preview of await previewChecked(kubeconfig, { policy, addresses })) {
    if (preview.refusals.length > 0) {
      outcome.refused.push({
        context: preview.name,
        reasons: preview.refusals.map((r) => `${r.entry} ${r.field}: ${r.message}`),
      });
    } else if (preview.suggestedName === null) {
      outcome.refused.push({
        context: preview.name,
        reasons: ['the context name gives no usable cluster name; import it in the console'],
      });
    } else {
      candidates.push({ context: preview.name, name: preview.suggestedName });
    }
  }
  const taken = new Set(
    await takenNames(
      db,
      candidates.map((c) => c.name),
    ),
  );
  outcome.existing = candidates.filter((c) => taken.has(c.name));
  const fresh = candidates.filter((c) => !taken.has(c.name));
  if (fresh.length === 0) return outcome;

  const planned = await planChecked(kubeconfig, {
    policy,
    addresses,
    contexts: fresh.map((c) => c.context),
    names: Object.fromEntries(fresh.map((c) => [c.context, c.name])),
  });
  const rows = planned.map((cluster) => {
    const id = randomUUID();
    return {
      id,
      name: cluster.name,
      server: cluster.server,
      identityMode: 'gateway' as const,
      sealed: sealCredential(keyring, { clusterId: id, credential: cluster.credential }),
    };
  });
  await insertClusters(db, { clusters: rows, createdBy: undefined, now: Date.now() });
  outcome.added = planned.map((c) => ({ context: c.context, name: c.name, server: c.server }));
  return outcome;
}

function report(outcome: ImportOutcome): void {
  for (const c of outcome.added) {
    console.log(
      `import-kubeconfig: registered cluster "${c.name}" (context ${c.context}, ${c.server})`,
    );
  }
  for (const c of outcome.existing) {
    console.log(
      `import-kubeconfig: cluster "${c.name}" (context ${c.context}) is registered already`,
    );
  }
  for (const c of outcome.refused) {
    console.log(`import-kubeconfig: context ${c.context} refused: ${c.reasons.join('; ')}`);
  }
}

async function main(): Promise<void> {
  const [file, ...rest] = process.argv.slice(2);
  if (file === undefined || rest.length > 0)
    throw new Error('usage: import-kubeconfig <kubeconfig>');
  const text = await readFile(resolve(file), 'utf8');
  const keyring = createKeyring(loadKeyringConfig(process.env));
  const addresses = createClusterAddresses(loadClusterAddressConfig(process.env));
  const policy = importPolicy(loadClustersConfig(process.env).importPolicy, addresses);
  const { db } = await connectDb(loadDbConfig(process.env));
  try {
    await migrateToLatest(db);
    report(await importKubeconfig({ db, keyring, policy, addresses, text }));
  } finally {
    await db.destroy();
  }
}

runIfMain(import.meta.url, 'import-kubeconfig', main);
