// Brings the schema to the latest migration; the gateway does not start on a failure.
import { inspect } from 'node:util';
import { Migrator, type Kysely, type Migration } from 'kysely';
import { DbError } from './connect.js';
import { migrations as all } from './migrations/index.js';
import type { Database } from './schema.js';

/** Runs the migrations not yet applied (on PostgreSQL under a lock, so replicas may start together). */
export async function migrateToLatest(
  db: Kysely<Database>,
  migrations: Readonly<Record<string, Migration>> = all,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    const what = failed ? `migration ${failed.migrationName} failed` : 'migrations could not run';
    const reason = error instanceof Error ? error.message : inspect(error);
    throw new DbError(`database ${what}: ${reason}`, { cause: error });
  }
  return results
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
