// The core schema. Portable DDL only, so one migration serves SQLite and PostgreSQL: text ids,
// bigint milliseconds, integer 0/1 flags, JSON as text, checks instead of enum types.
import { sql, type Kysely, type Migration } from 'kysely';

const tables = [
  'event_history',
  'settings',
  'audit_events',
  'access_tokens',
  'sessions',
  'cluster_credentials',
  'clusters',
  'role_bindings',
  'roles',
  'user_groups',
  'groups',
  'users',
] as const;

async function up(db: Kysely<unknown>): Promise<void> {
  const { schema } = db;

  await schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('local', 'oidc', 'host')`))
    .addColumn('disabled', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`disabled in (0, 1)`),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await schema
    .createTable('user_groups')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_groups_pk', ['user_id', 'group_id'])
    .execute();
  await schema.createIndex('user_groups_group').on('user_groups').column('group_id').execute();

  await schema
    .createTable('roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('builtin', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`builtin in (0, 1)`),
    )
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await schema
    .createTable('role_bindings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('subject_kind', 'text', (c) =>
      c.notNull().check(sql`subject_kind in ('user', 'group')`),
    )
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('role_bindings_unique', ['role_id', 'subject_kind', 'subject'])
    .execute();
  await schema
    .createIndex('role_bindings_subject')
    .on('role_bindings')
    .columns(['subject_kind', 'subject'])
    .execute();

  await schema
    .createTable('clusters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('server', 'text', (c) => c.notNull())
    .addColumn('identity_mode', 'text', (c) =>
      c.notNull().check(sql`identity_mode in ('gateway', 'impersonate')`),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute();

  await schema
    .createTable('cluster_credentials')
    .addColumn('cluster_id', 'text', (c) =>
      c.primaryKey().references('clusters.id').onDelete('cascade'),
    )
    .addColumn('sealed', 'text', (c) => c.notNull())
    .execute();

  await schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('refresh_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('ip', 'text')
    .execute();
  await schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await schema.createIndex('sessions_family').on('sessions').column('family_id').execute();

  await schema
    .createTable('access_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await schema.createIndex('access_tokens_user').on('access_tokens').column('user_id').execute();

  // No foreign keys: the record outlives the users and clusters it names.
  await schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('cluster', 'text')
    .addColumn('namespace', 'text')
    .addColumn('kind', 'text')
    .addColumn('name', 'text')
    .addColumn('verb', 'text')
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('ip', 'text')
    .execute();
  await schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await schema
    .createIndex('audit_events_cluster_at')
    .on('audit_events')
    .columns(['cluster', 'at'])
    .execute();
  await schema
    .createIndex('audit_events_actor_at')
    .on('audit_events')
    .columns(['actor', 'at'])
    .execute();

  await schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await schema
    .createTable('event_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cluster', 'text', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addColumn('namespace', 'text')
    .addColumn('involved_kind', 'text', (c) => c.notNull())
    .addColumn('involved_name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('message', 'text')
    .addColumn('type', 'text')
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await schema
    .createIndex('event_history_object')
    .on('event_history')
    .columns(['cluster', 'namespace', 'involved_kind', 'involved_name'])
    .execute();
  await schema
    .createIndex('event_history_cluster_last')
    .on('event_history')
    .columns(['cluster', 'last_at'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of tables) await db.schema.dropTable(table).execute();
}

export const core: Migration = { up, down };
