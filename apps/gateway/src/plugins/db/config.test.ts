import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDbConfig } from '../../config/db.js';
import { ConfigError } from '../../config/env.js';

describe('loadDbConfig', () => {
  it.each([
    [{}, { dialect: 'sqlite', file: resolve('data/binnacle.db') }],
    [
      { BINNACLE_DATA_DIR: '/var/lib/binnacle' },
      { dialect: 'sqlite', file: '/var/lib/binnacle/binnacle.db' },
    ],
    [
      { DATABASE_URL: 'postgres://b:secret@db:5432/binnacle' },
      { dialect: 'postgres', url: 'postgres://b:secret@db:5432/binnacle', poolMax: 10 },
    ],
    [
      { DATABASE_URL: 'postgresql://db/binnacle', BINNACLE_DB_POOL_MAX: '3' },
      { dialect: 'postgres', url: 'postgresql://db/binnacle', poolMax: 3 },
    ],
  ])('reads %o', (env, expected) => {
    expect(loadDbConfig(env)).toEqual(expected);
  });

  it.each([
    [
      { DATABASE_URL: '//b:s3cret@db/binnacle' },
      'DATABASE_URL must be a URL like postgres://user:password@host:5432/binnacle (the value is not shown: it may hold a password)',
    ],
    [
      { DATABASE_URL: 'mysql://b:s3cret@db/binnacle' },
      'DATABASE_URL must use postgres: or postgresql:, got "mysql:"; leave it unset to use the embedded SQLite file under BINNACLE_DATA_DIR',
    ],
    [
      { DATABASE_URL: 'postgres://db/binnacle', BINNACLE_DB_POOL_MAX: '0' },
      'BINNACLE_DB_POOL_MAX must be a whole number from 1 to 1000, got "0"',
    ],
  ])('refuses %o', (env, message) => {
    expect(() => loadDbConfig(env)).toThrow(new ConfigError(message));
    expect(message).not.toContain('s3cret');
  });
});
