// Access tokens carry the generation of their person's groups and roles; changing either bumps
// `users.token_generation`, so tokens issued before the change are refused (a refresh issues new).
import type { Kysely, Migration } from 'kysely';

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('token_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('token_generation').execute();
}

export const revocation: Migration = { up, down };
