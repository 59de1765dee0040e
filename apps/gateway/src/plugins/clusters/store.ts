// The clusters and their sealed credentials in the store. A cluster and its credential are written in
// one transaction; deleting a cluster deletes its credential (foreign key cascade).
import type { Kysely, Transaction } from 'kysely';
import type { Database, IdentityMode } from '../db/schema.js';

export interface ClusterRecord {
  id: string;
  name: string;
  server: string;
  identityMode: IdentityMode;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
}

export interface NewCluster {
  id: string;
  name: string;
  server: string;
  identityMode: IdentityMode;
  /** The credential, sealed with `id` as associated data. */
  sealed: string;
}

type Store = Kysely<Database> | Transaction<Database>;

const columns = [
  'id',
  'name',
  'server',
  'identity_mode',
  'created_at',
  'updated_at',
  'created_by',
] as const;

function record(row: Database['clusters']): ClusterRecord {
  return {
    id: row.id,
    name: row.name,
    server: row.server,
    identityMode: row.identity_mode,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
  };
}

export async function listClusters(db: Store): Promise<ClusterRecord[]> {
  const rows = await db.selectFrom('clusters').select(columns).orderBy('name').execute();
  return rows.map(record);
}

export async function clusterIds(db: Store): Promise<string[]> {
  const rows = await db.selectFrom('clusters').select('id').execute();
  return rows.map((row) => row.id);
}

export async function findCluster(db: Store, id: string): Promise<ClusterRecord | undefined> {
  const row = await db
    .selectFrom('clusters')
    .select(columns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && record(row);
}

/** The names among `names` that clusters already have. */
export async function takenNames(db: Store, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db.selectFrom('clusters').select('name').where('name', 'in', names).execute();
  return rows.map((row) => row.name);
}

/**
 * Inserts clusters with their credentials, all or none. `createdBy` is kept only while that user
 * exists (people from SSO may have no row yet).
 */
export async function insertClusters(
  db: Kysely<Database>,
  options: { clusters: readonly NewCluster[]; createdBy: string | undefined; now: number },
): Promise<void> {
  const { clusters, createdBy, now } = options;
  await db.transaction().execute(async (trx) => {
    for (const cluster of clusters) {
      await trx
        .insertInto('clusters')
        .values((eb) => ({
          id: cluster.id,
          name: cluster.name,
          server: cluster.server,
          identity_mode: cluster.identityMode,
          created_at: now,
          updated_at: now,
          created_by:
            createdBy === undefined
              ? null
              : eb.selectFrom('users').select('id').where('id', '=', createdBy),
        }))
        .execute();
      await trx
        .insertInto('cluster_credentials')
        .values({ cluster_id: cluster.id, sealed: cluster.sealed })
        .execute();
    }
  });
}

/** The sealed credential of a cluster; undefined for no such cluster. */
export async function findSealed(db: Store, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('cluster_credentials')
    .select('sealed')
    .where('cluster_id', '=', id)
    .executeTakeFirst();
  return row?.sealed;
}

/** What a cached client depends on, or undefined when the cluster is gone. */
export async function clusterState(
  db: Store,
  id: string,
): Promise<{ identityMode: IdentityMode; updatedAt: number } | undefined> {
  const row = await db
    .selectFrom('clusters')
    .select(['identity_mode', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { identityMode: row.identity_mode, updatedAt: row.updated_at };
}

/** Whether a cluster with that id was there to update. */
export async function updateCluster(
  db: Store,
  id: string,
  changes: { name?: string | undefined; identityMode?: IdentityMode | undefined; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('clusters')
    .set({
      updated_at: changes.now,
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.identityMode !== undefined ? { identity_mode: changes.identityMode } : {}),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Whether a cluster with that id was there to delete. */
export async function deleteCluster(db: Store, id: string): Promise<boolean> {
  const result = await db.deleteFrom('clusters').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A unique-constraint violation, on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code: unknown = err instanceof Error ? Reflect.get(err, 'code') : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
