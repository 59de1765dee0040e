// Opens the store: an embedded SQLite file, or a PostgreSQL pool shared by several replicas.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Pool, TypeOverrides, types } from 'pg';
import type { DbConfig } from '../../config/db.js';
import type { Database } from './schema.js';

export type DbDialect = DbConfig['dialect'];

/** The store could not be opened or migrated. Messages never carry the database password. */
export class DbError extends Error {
  override name = 'DbError';
}

export interface ConnectOptions {
  /** Errors of idle PostgreSQL connections (a restarted server, say); the pool replaces them. */
  onPoolError?: (err: Error) => void;
}

const busyTimeoutMs = 5000;

export async function connectDb(
  config: DbConfig,
  options: ConnectOptions = {},
): Promise<{ db: Kysely<Database>; dialect: DbDialect }> {
  if (config.dialect === 'sqlite') {
    const database = openSqlite(config.file);
    return {
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }),
      dialect: 'sqlite',
    };
  }

  const pool = new Pool({ connectionString: config.url, max: config.poolMax, types: pgTypes() });
  pool.on('error', options.onPoolError ?? (() => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy();
    const where = describePostgres(config.url);
    throw new DbError(`cannot connect to PostgreSQL at ${where}: ${message(err)}`, { cause: err });
  }
  return { db, dialect: 'postgres' };
}

/** Where a PostgreSQL URL points, without its user and password. */
export function describePostgres(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

function openSqlite(file: string): SqliteDatabase.Database {
  try {
    // Only the gateway's user may read the store: the directory is 0700 and the file 0600 (SQLite
    // gives its -wal and -shm files the database file's mode).
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
    // `timeout` is SQLite's busy timeout: a writer waits this long for another's lock.
    const database = new SqliteDatabase(file, { timeout: busyTimeoutMs });
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    return database;
  } catch (err) {
    throw new DbError(`cannot open the SQLite store ${file}: ${message(err)}`, { cause: err });
  }
}

// Times are bigint milliseconds; read them as numbers, like SQLite does, rather than pg's strings.
function pgTypes(): TypeOverrides {
  const overrides = new TypeOverrides();
  overrides.setTypeParser(types.builtins.INT8, (value: string) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n))
      throw new DbError(`bigint ${value} does not fit a JavaScript number`);
    return n;
  });
  return overrides;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
