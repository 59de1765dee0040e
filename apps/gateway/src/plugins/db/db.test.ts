import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Migrator, NO_MIGRATIONS, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/postgres.js';
import type { DbConfig } from '../../config/db.js';
import { connectDb, DbError } from './connect.js';
import dbPlugin from './index.js';
import { migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

const now = Date.UTC(2025, 0, 1);

interface Target {
  config: DbConfig;
  stop: () => Promise<void>;
}

const targets: Record<DbConfig['dialect'], () => Promise<Target>> = {
  sqlite: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'binnacle-db-'));
    return {
      config: { dialect: 'sqlite', file: join(dir, 'store', 'binnacle.db') },
      stop: () => rm(dir, { recursive: true, force: true }),
    };
  },
  postgres: async () => {
    const database = await createTestDatabase();
    return { config: { dialect: 'postgres', url: database.url, poolMax: 4 }, stop: database.stop };
  },
};

describe.each(['sqlite', 'postgres'] as const)('the store on %s', (dialect) => {
  let target: Target;
  let db: Kysely<Database>;

  beforeAll(async () => {
    target = await targets[dialect]();
    ({ db } = await connectDb(target.config));
  }, 180_000);
  afterAll(async () => {
    await db.destroy();
    await target.stop();
  });

  it('talks to a real server of that dialect', async () => {
    const query =
      dialect === 'sqlite'
        ? sql<{ v: string }>`select sqlite_version() as v`
        : sql<{ v: string }>`select version() as v`;
    const { rows } = await query.execute(db);
    expect(rows[0]?.v).toMatch(dialect === 'sqlite' ? /^3\./ : /^PostgreSQL \d+/);
  });

  it('runs the migrations, then finds nothing left to run', async () => {
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it('stores and reads a user, times as numbers and flags as 0/1', async () => {
    await db
      .insertInto('users')
      .values({
        id: 'u1',
        username: 'ada',
        display_name: 'Ada',
        password_hash: null,
        source: 'local',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', 'u1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      id: 'u1',
      username: 'ada',
      display_name: 'Ada',
      password_hash: null,
      source: 'local',
      disabled: 0,
      token_generation: 0,
      created_at: now,
      updated_at: now,
    });
  });

  it('refuses a second user with the same username', async () => {
    await expect(
      db
        .insertInto('users')
        .values({
          id: 'u2',
          username: 'ada',
          display_name: 'Other',
          source: 'oidc',
          created_at: now,
          updated_at: now,
        })
        .execute(),
    ).rejects.toThrow(/unique/i);
    const { count } = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(count).toBe(1);
  });

  it('refuses a user source outside local, oidc and host', async () => {
    await expect(
      sql`insert into users (id, username, display_name, source, created_at, updated_at)
          values ('u3', 'eve', 'Eve', 'ldap', 0, 0)`.execute(db),
    ).rejects.toThrow(/check/i);
  });

  it('deletes a cluster with its sealed credentials and event history', async () => {
    await db
      .insertInto('clusters')
      .values({
        id: 'c1',
        name: 'prod',
        server: 'https://10.0.0.1:6443',
        identity_mode: 'gateway',
        created_at: now,
        updated_at: now,
        created_by: 'u1',
      })
      .execute();
    await db
      .insertInto('cluster_credentials')
      .values({ cluster_id: 'c1', sealed: 'v1:k1:x:y' })
      .execute();
    await db
      .insertInto('event_history')
      .values({
        id: 'e1',
        cluster: 'c1',
        namespace: 'default',
        involved_kind: 'Pod',
        involved_name: 'web',
        reason: 'BackOff',
        message: 'restarting',
        type: 'Warning',
        first_at: now,
        last_at: now,
      })
      .execute();

    await db.deleteFrom('clusters').where('id', '=', 'c1').execute();

    expect(await db.selectFrom('cluster_credentials').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('event_history').selectAll().execute()).toEqual([]);
  });

  it('refuses credentials for a cluster that does not exist', async () => {
    await expect(
      db
        .insertInto('cluster_credentials')
        .values({ cluster_id: 'missing', sealed: 'v1:k1:x:y' })
        .execute(),
    ).rejects.toThrow(/foreign key/i);
  });

  it('serves the store to the app through the plugin, which migrates again harmlessly', async () => {
    const app = Fastify();
    await app.register(dbPlugin, target.config);
    await app.ready();
    expect(app.dbDialect).toBe(dialect);
    const names = await app.db.selectFrom('users').select('username').execute();
    expect(names).toEqual([{ username: 'ada' }]);
    await app.close();
  });

  it('checks the busy timeout and the PostgreSQL number parsing', async () => {
    if (dialect === 'sqlite') {
      const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
      expect(rows).toEqual([{ timeout: 5000 }]);
    } else {
      const { rows } = await sql<{ n: unknown }>`select 9007199254740991::bigint as n`.execute(db);
      expect(rows).toEqual([{ n: 9007199254740991 }]);
      await expect(sql`select 9007199254740993::bigint as n`.execute(db)).rejects.toThrow(
        'bigint 9007199254740993 does not fit a JavaScript number',
      );
    }
  });

  it('stops with the name of a migration that fails', async () => {
    const broken = {
      ...migrations,
      '0099_broken': {
        up: async (store: Kysely<unknown>) => {
          await sql`create table users (id text)`.execute(store);
        },
      },
    };
    await expect(migrateToLatest(db, broken)).rejects.toThrow(DbError);
    await expect(migrateToLatest(db, broken)).rejects.toThrow(
      /^database migration 0099_broken failed: .*users.*already exists/,
    );
  });

  it('migrates down to nothing and up again', async () => {
    const migrator = new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
    });
    expect((await migrator.migrateTo(NO_MIGRATIONS)).error).toBeUndefined();
    await expect(db.selectFrom('users').selectAll().execute()).rejects.toThrow();
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).sort());
    expect(await db.selectFrom('users').selectAll().execute()).toEqual([]);
  });
});

describe('the db plugin', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'binnacle-db-plugin-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('opens a private SQLite file in WAL mode with foreign keys, migrated, and closes it', async () => {
    const file = join(dir, 'data', 'binnacle.db');
    const app = Fastify();
    await app.register(dbPlugin, { dialect: 'sqlite', file });
    await app.ready();

    expect(app.dbDialect).toBe('sqlite');
    expect((await stat(join(dir, 'data'))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const pragmas = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(app.db);
    expect(pragmas.rows).toEqual([{ journal_mode: 'wal' }]);
    const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(app.db);
    expect(keys.rows).toEqual([{ foreign_keys: 1 }]);
    expect(await app.db.selectFrom('settings').selectAll().execute()).toEqual([]);

    await app.close();
    await expect(app.db.selectFrom('settings').selectAll().execute()).rejects.toThrow();
  });

  it('stops the start when PostgreSQL cannot be reached, without printing the password', async () => {
    const app = Fastify();
    const error: unknown = await app
      .register(dbPlugin, {
        dialect: 'postgres',
        url: 'postgres://b:s3cret@127.0.0.1:1/binnacle',
        poolMax: 1,
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(DbError);
    expect((error as Error).message).toMatch(
      /^cannot connect to PostgreSQL at 127\.0\.0\.1:1\/binnacle: /,
    );
    expect((error as Error).message).not.toContain('s3cret');
    await app.close();
  });
});
