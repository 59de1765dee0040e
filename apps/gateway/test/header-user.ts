// Test support for one plugin at a time: a stand-in for the auth plugin that takes the person from
// test headers, and the start (errors, db, that stand-in) every plugin test app shares.
import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DbConfig } from '../src/config/db.js';
import type { AuthUser } from '../src/plugins/auth/types.js';
import db from '../src/plugins/db/index.js';
import errors from '../src/plugins/errors/index.js';

export function testUser(username: string, groups: string[] = []): AuthUser {
  return {
    id: `id-${username}`,
    username,
    displayName: username,
    groups,
    source: 'local',
    via: 'session',
  };
}

/** Headers that make a request come from `username` in `groups`. */
export function as(username: string, groups: string[] = []): Record<string, string> {
  return { 'x-test-user': username, 'x-test-groups': groups.join(',') };
}

export const headerUser = fp(
  (app: FastifyInstance, options: { authEvents?: EventEmitter | undefined }) => {
    app.decorateRequest('user', undefined);
    if (options.authEvents !== undefined) app.decorate('authEvents', options.authEvents);
    app.addHook('onRequest', (request, _reply, done) => {
      const username = request.headers['x-test-user'];
      const groups = request.headers['x-test-groups'];
      if (typeof username === 'string') {
        const names = typeof groups === 'string' ? groups.split(',').filter(Boolean) : [];
        request.user = testUser(username, names);
      }
      done();
    });
    return Promise.resolve();
  },
  { name: 'test-auth' },
);

/**
 * The start every plugin test app shares: errors and db (a fresh SQLite file unless `db` names a
 * database), then the header stand-in for sign-in. `removeFiles` deletes the SQLite folder.
 */
export async function baseTestApp(options: {
  prefix: string;
  db?: DbConfig | undefined;
  authEvents?: EventEmitter | undefined;
}): Promise<{ app: FastifyInstance; db: DbConfig; removeFiles: () => Promise<void> }> {
  const dir = options.db ? undefined : await mkdtemp(join(tmpdir(), `binnacle-${options.prefix}-`));
  const config: DbConfig = options.db ?? {
    dialect: 'sqlite',
    file: join(dir ?? '', 'binnacle.db'),
  };
  const app = Fastify({ logger: false });
  await app.register(errors);
  await app.register(db, config);
  await app.register(headerUser, { authEvents: options.authEvents });
  return {
    app,
    db: config,
    removeFiles: async () => {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}
