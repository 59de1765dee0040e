// The store: an embedded SQLite file by default, PostgreSQL when DATABASE_URL is set (several
// gateway replicas share it).
import { resolve } from 'node:path';
import { ConfigError, integer, optionalString, string, type Env } from './env.js';

export type DbConfig =
  | { dialect: 'sqlite'; /** Absolute path of the database file. */ file: string }
  | {
      dialect: 'postgres';
      /** A postgres:// URL; it may hold a password, so never log it. */ url: string;
      poolMax: number;
    };

export function loadDbConfig(env: Env): DbConfig {
  const url = optionalString(env, 'DATABASE_URL');
  if (url === undefined) {
    const dataDir = string(env, 'BINNACLE_DATA_DIR', './data');
    return { dialect: 'sqlite', file: resolve(dataDir, 'binnacle.db') };
  }
  return {
    dialect: 'postgres',
    url: postgresUrl(url),
    poolMax: integer(env, { name: 'BINNACLE_DB_POOL_MAX', fallback: 10, min: 1, max: 1000 }),
  };
}

// Not env.ts's url(): its message repeats the value, and this one may carry a password.
function postgresUrl(value: string): string {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new ConfigError(
      'DATABASE_URL must be a URL like postgres://user:password@host:5432/binnacle (the value is not shown: it may hold a password)',
    );
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new ConfigError(
      `DATABASE_URL must use postgres: or postgresql:, got "${protocol}"; leave it unset to use the embedded SQLite file under BINNACLE_DATA_DIR`,
    );
  }
  return value;
}
