// `node dist/commands/rotate-keys.js`: re-seals every stored credential that is not sealed with the
// active key, in one transaction, using the gateway's environment (DATABASE_URL or
// BINNACLE_DATA_DIR, and the keyring variables). Prints counts, never values.
import type { Kysely } from 'kysely';
import { loadDbConfig } from '../config/db.js';
import { loadKeyringConfig } from '../config/keyring.js';
import { connectDb } from '../plugins/db/connect.js';
import { migrateToLatest } from '../plugins/db/migrate.js';
import type { Database } from '../plugins/db/schema.js';
import { createKeyring, KeyringError, type Keyring } from '../plugins/keyring/keyring.js';
import { runIfMain } from './run.js';

export interface RotateKeysResult {
  /** Sealed values looked at. */
  checked: number;
  /** Values re-sealed with the active key. */
  resealed: number;
  /** Values another writer replaced while this ran; run again to cover them. */
  changedMeanwhile: number;
}

export async function rotateKeys({
  db,
  keyring,
}: {
  db: Kysely<Database>;
  keyring: Keyring;
}): Promise<RotateKeysResult> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('cluster_credentials')
      .select(['cluster_id', 'sealed'])
      .orderBy('cluster_id')
      .execute();
    let resealed = 0;
    let changedMeanwhile = 0;
    for (const { cluster_id: clusterId, sealed } of rows) {
      let plaintext: Buffer;
      try {
        if (!keyring.needsReseal(sealed)) continue;
        plaintext = keyring.open(sealed, { aad: clusterId });
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new KeyringError(
          `the credentials of cluster ${clusterId} cannot be opened (${reason}); nothing was re-sealed`,
          { cause: err },
        );
      }
      const result = await trx
        .updateTable('cluster_credentials')
        .set({ sealed: keyring.seal(plaintext, { aad: clusterId }) })
        .where('cluster_id', '=', clusterId)
        .where('sealed', '=', sealed)
        .executeTakeFirst();
      plaintext.fill(0);
      if (result.numUpdatedRows === 1n) resealed++;
      else changedMeanwhile++;
    }
    return { checked: rows.length, resealed, changedMeanwhile };
  });
}

async function main(): Promise<void> {
  const keyring = createKeyring(loadKeyringConfig(process.env));
  const { db } = await connectDb(loadDbConfig(process.env));
  try {
    await migrateToLatest(db);
    const result = await rotateKeys({ db, keyring });
    console.log(
      `rotate-keys: active key ${keyring.activeKeyId}; ${result.checked} sealed credentials checked, ` +
        `${result.resealed} re-sealed, ${result.checked - result.resealed - result.changedMeanwhile} already current`,
    );
    if (result.changedMeanwhile > 0) {
      console.log(
        `rotate-keys: ${result.changedMeanwhile} changed while this ran; run rotate-keys again`,
      );
      process.exitCode = 2;
    }
  } finally {
    await db.destroy();
  }
}

runIfMain(import.meta.url, 'rotate-keys', main);
