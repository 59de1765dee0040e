// Registers the gateway's plugins; nothing else lives here.
import Fastify, { type FastifyInstance } from 'fastify';
import type { GatewayConfig } from './config/index.js';
import db from './plugins/db/index.js';
import errors from './plugins/errors/index.js';
import keyring from './plugins/keyring/index.js';
import ops from './plugins/ops/index.js';

export async function buildApp(config: GatewayConfig): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: config.logLevel } });
  await app.register(errors);
  await app.register(db, config.db);
  await app.register(keyring, config.keyring);
  await app.register(ops);
  return app;
}
