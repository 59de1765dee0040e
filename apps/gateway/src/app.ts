// Registers the gateway's plugins; nothing else lives here.
import Fastify, { type FastifyInstance } from 'fastify';
import type { GatewayConfig } from './config.js';
import ops from './plugins/ops/index.js';

export async function buildApp(config: GatewayConfig): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: config.logLevel } });
  await app.register(ops);
  return app;
}
