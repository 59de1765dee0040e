// Test support: a gateway on a fresh SQLite file (or the given database) with a random key.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig, type GatewayConfig } from '../src/config/index.js';

export interface TestApp {
  app: FastifyInstance;
  config: GatewayConfig;
  close: () => Promise<void>;
}

export async function testApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'binnacle-gateway-'));
  const config = loadConfig({
    BINNACLE_LOG_LEVEL: 'silent',
    BINNACLE_DATA_DIR: dir,
    BINNACLE_KEYS: `test:${randomBytes(32).toString('base64')}`,
    BINNACLE_ACTIVE_KEY: 'test',
    ...env,
  });
  const app = await buildApp(config);
  return {
    app,
    config,
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
