import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/postgres.js';
import type { DbConfig } from '../config/db.js';
import { connectDb } from '../plugins/db/connect.js';
import { migrateToLatest } from '../plugins/db/migrate.js';
import type { Database } from '../plugins/db/schema.js';
import { createKeyring, KeyringError } from '../plugins/keyring/keyring.js';
import { KeyringKey } from '../plugins/keyring/keys.js';
import { rotateKeys } from './rotate-keys.js';

const oldKey = new KeyringKey('old', randomBytes(32));
const newKey = new KeyringKey('new', randomBytes(32));
const before = createKeyring({ keys: [oldKey], activeKeyId: 'old' });
const after = createKeyring({ keys: [newKey, oldKey], activeKeyId: 'new' });
const plaintexts = { c1: 'kubeconfig of c1', c2: 'kubeconfig of c2', c3: 'kubeconfig of c3' };

async function openStore(
  dialect: DbConfig['dialect'],
): Promise<{ db: Kysely<Database>; stop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'binnacle-rotate-'));
    const { db } = await connectDb({ dialect, file: join(dir, 'binnacle.db') });
    return {
      db,
      stop: async () => {
        await db.destroy();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createTestDatabase();
  const { db } = await connectDb({ dialect, url: database.url, poolMax: 2 });
  return {
    db,
    stop: async () => {
      await db.destroy();
      await database.stop();
    },
  };
}

describe.each(['sqlite', 'postgres'] as const)('rotateKeys on %s', (dialect) => {
  let db: Kysely<Database>;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, stop } = await openStore(dialect));
    await migrateToLatest(db);
    for (const id of Object.keys(plaintexts) as (keyof typeof plaintexts)[]) {
      await db
        .insertInto('clusters')
        .values({
          id,
          name: id,
          server: 'https://127.0.0.1:6443',
          identity_mode: 'gateway',
          created_at: 0,
          updated_at: 0,
          created_by: null,
        })
        .execute();
      // c3 is already sealed with the new key; the others with the old one.
      const keyring = id === 'c3' ? after : before;
      await db
        .insertInto('cluster_credentials')
        .values({ cluster_id: id, sealed: keyring.seal(plaintexts[id], { aad: id }) })
        .execute();
    }
  }, 180_000);
  afterAll(() => stop());

  async function stored(): Promise<Record<string, string>> {
    const rows = await db
      .selectFrom('cluster_credentials')
      .selectAll()
      .orderBy('cluster_id')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.cluster_id, row.sealed]));
  }

  it('re-seals values of older keys with the active key; they open to the same plaintext', async () => {
    const old = await stored();
    expect(await rotateKeys({ db, keyring: after })).toEqual({
      checked: 3,
      resealed: 2,
      changedMeanwhile: 0,
    });

    const now = await stored();
    expect(now.c3).toBe(old.c3);
    for (const [id, plaintext] of Object.entries(plaintexts)) {
      const sealed = now[id] ?? '';
      expect(sealed.startsWith('v1:new:')).toBe(true);
      expect(after.needsReseal(sealed)).toBe(false);
      expect(after.open(sealed, { aad: id }).toString()).toBe(plaintext);
    }
    // Without the old key, everything still opens.
    const newOnly = createKeyring({ keys: [newKey], activeKeyId: 'new' });
    expect(newOnly.open(now.c1 ?? '', { aad: 'c1' }).toString()).toBe(plaintexts.c1);
  });

  it('has nothing to do the second time', async () => {
    expect(await rotateKeys({ db, keyring: after })).toEqual({
      checked: 3,
      resealed: 0,
      changedMeanwhile: 0,
    });
  });

  it('changes nothing when one value cannot be opened', async () => {
    const third = createKeyring({
      keys: [new KeyringKey('third', randomBytes(32))],
      activeKeyId: 'third',
    });
    const old = await stored();
    await expect(rotateKeys({ db, keyring: third })).rejects.toThrow(
      new KeyringError(
        'the credentials of cluster c1 cannot be opened (sealed value uses key "new", which is not configured); nothing was re-sealed',
      ),
    );
    expect(await stored()).toEqual(old);
  });

  it('rolls back every value when a later one fails', async () => {
    // c1 and c2 would be re-sealed before c3's wrong record id is found.
    await db
      .updateTable('cluster_credentials')
      .set({ sealed: after.seal('moved', { aad: 'elsewhere' }) })
      .where('cluster_id', '=', 'c3')
      .execute();
    const newest = new KeyringKey('newest', randomBytes(32));
    const rotated = createKeyring({ keys: [newest, newKey], activeKeyId: 'newest' });
    const old = await stored();
    await expect(rotateKeys({ db, keyring: rotated })).rejects.toThrow(
      /cluster c3 cannot be opened/,
    );
    expect(await stored()).toEqual(old);
  });
});
