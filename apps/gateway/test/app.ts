// Test support: a gateway on a fresh SQLite file (or the given database) with a random key.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp, type PluginTuning } from '../src/app.js';
import { loadAuthConfig } from '../src/config/auth.js';
import { loadConfig, type GatewayConfig } from '../src/config/index.js';
import auth from '../src/plugins/auth/index.js';
import db from '../src/plugins/db/index.js';
import errors from '../src/plugins/errors/index.js';
import keyring from '../src/plugins/keyring/index.js';

export interface TestApp {
  app: FastifyInstance;
  config: GatewayConfig;
  close: () => Promise<void>;
}

/**
 * The shared test cluster listens on 127.0.0.1, which the gateway refuses by default: every test
 * gateway allows loopback explicitly, as `make start` does. A test of the default overrides it with
 * `BINNACLE_CLUSTER_ALLOWED_CIDRS: ''`.
 */
export const testClusterAllowance = { BINNACLE_CLUSTER_ALLOWED_CIDRS: '127.0.0.0/8,::1/128' };

export async function testApp(
  env: Record<string, string> = {},
  tuning: PluginTuning = {},
): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'binnacle-gateway-'));
  const config = loadConfig({
    BINNACLE_LOG_LEVEL: 'silent',
    BINNACLE_DATA_DIR: dir,
    BINNACLE_KEYS: `test:${randomBytes(32).toString('base64')}`,
    BINNACLE_ACTIVE_KEY: 'test',
    BINNACLE_ADMIN_PASSWORD: testAdminPassword,
    // Tests read the metrics and the OpenAPI document; both are off by default (ops.test.ts).
    BINNACLE_METRICS: 'true',
    BINNACLE_API_DOCS: 'true',
    ...testClusterAllowance,
    ...env,
  });
  const app = await buildApp(config, tuning);
  return {
    app,
    config,
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface AuthTestApp extends TestApp {
  /** The app's log lines (JSON, info level and up), to check that no secret reaches them. */
  logs: string[];
}

/**
 * A gateway with the plugins up to auth (errors, db, keyring, auth) on a fresh SQLite file (or
 * `DATABASE_URL`) with a random key, logging at info level into `logs`. Not yet ready, so a test
 * may add routes. Works whether or not app.ts registers auth.
 */
export async function testAuthApp(env: Record<string, string> = {}): Promise<AuthTestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'binnacle-auth-'));
  const fullEnv = {
    BINNACLE_LOG_LEVEL: 'info',
    BINNACLE_DATA_DIR: dir,
    BINNACLE_KEYS: `test:${randomBytes(32).toString('base64')}`,
    BINNACLE_ACTIVE_KEY: 'test',
    BINNACLE_ADMIN_PASSWORD: testAdminPassword,
    ...env,
  };
  const config = loadConfig(fullEnv);
  const logs: string[] = [];
  const app = Fastify({
    logger: {
      level: 'info',
      stream: {
        write: (line: string) => {
          logs.push(line);
        },
      },
    },
  });
  await app.register(errors);
  await app.register(db, config.db);
  await app.register(keyring, config.keyring);
  await app.register(auth, loadAuthConfig(fullEnv));
  return {
    app,
    config,
    logs,
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The first administrator's password in `testAuthApp`, unless the test sets another. */
export const testAdminPassword = 'test-admin-password-0123';

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  userId: string;
}

/** Signs in through the login route; fails the test unless it succeeds. */
export async function signIn(
  app: FastifyInstance,
  username = 'admin',
  password = testAdminPassword,
): Promise<SignedIn> {
  const res = await app.inject({
    method: 'POST',
    url: '/k8s-api/v1/auth/login',
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ accessToken: string; user: { id: string } }>();
  const cookie = res.cookies.find((c) => c.name === 'binnacle_refresh');
  if (cookie === undefined) throw new Error('sign-in set no refresh cookie');
  return { accessToken: body.accessToken, refreshToken: cookie.value, userId: body.user.id };
}
