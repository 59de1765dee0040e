// The store: Kysely over SQLite or PostgreSQL, migrated to the latest schema before the gateway starts.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { DbConfig } from '../../config/db.js';
import { connectDb, describePostgres, type DbDialect } from './connect.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

export { DbError, type DbDialect } from './connect.js';
export type { Database } from './schema.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    dbDialect: DbDialect;
  }
}

async function db(app: FastifyInstance, config: DbConfig): Promise<void> {
  const { db: store, dialect } = await connectDb(config, {
    onPoolError: (err) => {
      app.log.error({ err }, 'PostgreSQL connection lost');
    },
  });
  let applied: string[];
  try {
    applied = await migrateToLatest(store);
  } catch (err) {
    await store.destroy();
    throw err;
  }
  app.decorate('db', store);
  app.decorate('dbDialect', dialect);
  app.addHook('onClose', () => store.destroy());
  const where = config.dialect === 'sqlite' ? config.file : describePostgres(config.url);
  app.log.info({ dialect, where, applied }, 'database ready');
}

export default fp(db, { name: 'db', fastify: '5.x' });
