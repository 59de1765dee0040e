import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import db from '../db/index.js';
import errors from '../errors/index.js';
import rbac, { RouteRbacError } from './index.js';
import { rbacTestApp } from '../../../test/rbac-app.js';

describe('the rbac plugin at boot', () => {
  async function boot(register: (app: FastifyInstance) => void): Promise<unknown> {
    const dir = await mkdtemp(join(tmpdir(), 'binnacle-rbac-boot-'));
    const app = Fastify({ logger: false });
    await app.register(errors);
    await app.register(db, { dialect: 'sqlite', file: join(dir, 'binnacle.db') });
    await app.register(rbac);
    // In a plugin that is not async, like ops/routes.ts: the boot must still fail cleanly.
    void app.register((child) => {
      register(child);
      return Promise.resolve();
    });
    const outcome = await app.ready().then(
      () => undefined,
      (err: unknown) => err,
    );
    await app.close();
    await rm(dir, { recursive: true, force: true });
    return outcome;
  }

  it('fails for an API route without config.rbac, naming its method and URL', async () => {
    const err = await boot((app) => app.delete('/k8s-api/v1/things/:id', () => 'gone'));
    expect(err).toBeInstanceOf(RouteRbacError);
    expect((err as Error).message).toBe(
      'route DELETE /k8s-api/v1/things/:id declares no config.rbac: every /k8s-api/v1 route must say who may call it ({ public: true }, { authenticated: true } or { resource, verb })',
    );
  });

  it.each([
    [{ resource: 'pods', verb: 'shell' }, 'route GET /k8s-api/v1/x declares verb "shell"'],
    [{ resource: 'apps/*', verb: 'get' }, 'route GET /k8s-api/v1/x declares resource "apps/*"'],
    [
      { resource: 'users', verb: 'list', cluster: () => 'a' },
      'route GET /k8s-api/v1/x checks the gateway resource "users" in a cluster',
    ],
  ])('fails for config.rbac %o', async (config, message) => {
    const err = await boot((app) =>
      app.get('/k8s-api/v1/x', { config: { rbac: config } }, () => 'x'),
    );
    expect((err as Error).message).toContain(message);
  });

  it('names every offending route at once', async () => {
    const err = await boot((app) => {
      app.get('/k8s-api/v1/a', () => 'a');
      app.post('/k8s-api/v1/b', () => 'b');
    });
    expect((err as Error).message.split('\n').map((line) => line.split(' declares')[0])).toEqual([
      'route GET /k8s-api/v1/a',
      'route HEAD /k8s-api/v1/a',
      'route POST /k8s-api/v1/b',
    ]);
  });

  it('boots with routes outside the API that declare nothing', async () => {
    expect(await boot((app) => app.get('/healthz', () => 'ok'))).toBeUndefined();
  });
});

describe('the built-in roles', () => {
  it('are created once, however many times the gateway starts', async () => {
    const first = await rbacTestApp();
    await first.close();
    const second = await rbacTestApp({ db: first.db });
    const roles = await second.app.db
      .selectFrom('roles')
      .select(['name', 'builtin'])
      .orderBy('name')
      .execute();
    expect(roles).toEqual([
      { name: 'admin', builtin: 1 },
      { name: 'editor', builtin: 1 },
      { name: 'viewer', builtin: 1 },
    ]);
    const bindings = await second.app.db.selectFrom('role_bindings').selectAll().execute();
    expect(bindings).toMatchObject([
      { role_id: 'builtin-admin', subject_kind: 'group', subject: 'binnacle-admins' },
    ]);
    await second.close();
    await first.cleanUp();
  });
});
