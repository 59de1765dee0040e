import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/postgres.js';
import type { DbConfig } from '../../config/db.js';
import { fromParam } from '../rbac/index.js';
import { as, rbacTestApp, type RbacTestApp } from '../../../test/rbac-app.js';
import { eventId } from './writer.js';

const admin = as('root', ['binnacle-admins']);
const ns = '/k8s-api/v1/clusters/:cluster/namespaces/:namespace';
const inNamespace = { cluster: fromParam('cluster'), namespace: fromParam('namespace') };

interface Page {
  items: {
    id: string;
    at: string;
    actor: string;
    action: string;
    result: string;
    detail: unknown;
  }[];
  nextCursor: string | null;
}

function routes(app: FastifyInstance): void {
  app.post(
    `${ns}/configmaps`,
    { config: { rbac: { resource: 'configmaps', verb: 'create', ...inNamespace } } },
    (_request, reply) => reply.status(201).send({ created: true }),
  );
  app.delete(
    `${ns}/configmaps/:name`,
    { config: { rbac: { resource: 'configmaps', verb: 'delete', ...inNamespace } } },
    (_request, reply) => reply.status(404).send({ code: 'NotFound', message: 'no such configmap' }),
  );
  app.get(
    `${ns}/configmaps`,
    { config: { rbac: { resource: 'configmaps', verb: 'list', ...inNamespace } } },
    () => ({
      items: [],
    }),
  );
}

// onResponse hooks may run just after inject() resolves: let them, then write what they queued.
async function settle(app: FastifyInstance): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  await app.audit.flush();
}

async function rows(app: FastifyInstance) {
  await settle(app);
  return app.db.selectFrom('audit_events').selectAll().orderBy('at').orderBy('id').execute();
}

describe('the audit plugin records on its own', () => {
  let t: RbacTestApp;
  let app: FastifyInstance;
  const authEvents = new EventEmitter();

  beforeAll(async () => {
    t = await rbacTestApp({ routes, authEvents });
    app = t.app;
    await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/rolebindings',
      headers: admin,
      payload: { roleId: 'builtin-editor', subjectKind: 'user', subject: 'ed' },
    });
    await settle(app);
    await app.db.deleteFrom('audit_events').execute();
  });
  afterAll(async () => {
    await t.close();
    await t.cleanUp();
  });

  it('a refusal, as denied, once', async () => {
    await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/clusters/a/namespaces/x/configmaps',
      headers: as('vera'),
      payload: {},
    });
    await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/clusters/a/namespaces/x/configmaps',
      payload: {},
    });
    const found = await rows(app);
    expect(found).toEqual([
      expect.objectContaining({
        actor: 'vera',
        action: 'POST /k8s-api/v1/clusters/:cluster/namespaces/:namespace/configmaps',
        cluster: 'a',
        namespace: 'x',
        kind: 'configmaps',
        verb: 'create',
        result: 'denied',
        ip: '127.0.0.1',
      }),
      expect.objectContaining({ actor: 'anonymous', result: 'denied' }),
    ]);
    expect(JSON.parse(found[0]?.detail ?? '')).toMatchObject({
      status: 403,
      path: '/k8s-api/v1/clusters/a/namespaces/x/configmaps',
    });
    await app.db.deleteFrom('audit_events').execute();
  });

  it('a change with its outcome, never its body or query string', async () => {
    await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/clusters/a/namespaces/x/configmaps?token=hunter2',
      headers: as('ed'),
      payload: { data: { password: 'hunter2' } },
    });
    await app.inject({
      method: 'DELETE',
      url: '/k8s-api/v1/clusters/a/namespaces/x/configmaps/gone',
      headers: as('ed'),
    });
    const found = await rows(app);
    expect(found).toMatchObject([
      { actor: 'ed', verb: 'create', result: 'success', name: null },
      { actor: 'ed', verb: 'delete', result: 'failure', name: 'gone' },
    ]);
    expect(JSON.stringify(found)).not.toContain('hunter2');
    expect(JSON.parse(found[1]?.detail ?? '')).toMatchObject({ status: 404 });
    await app.db.deleteFrom('audit_events').execute();
  });

  it('not reads, nor questions that change nothing', async () => {
    await app.inject({ url: '/k8s-api/v1/clusters/a/namespaces/x/configmaps', headers: as('ed') });
    await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/access/review',
      headers: as('ed'),
      payload: { resource: 'pods', verb: 'get' },
    });
    expect(await rows(app)).toEqual([]);
  });

  it('sign-ins, failed sign-ins and sign-outs from app.authEvents', async () => {
    authEvents.emit('auth', { type: 'login', username: 'ada', userId: 'u1', ip: '10.0.0.1' });
    authEvents.emit('auth', {
      type: 'login-failed',
      username: 'ada',
      ip: '10.0.0.2',
      reason: 'bad-credentials',
    });
    authEvents.emit('auth', { type: 'logout', username: 'ada', userId: 'u1', ip: '10.0.0.1' });
    expect(await rows(app)).toMatchObject([
      {
        actor: 'ada',
        action: 'auth.sign-in',
        result: 'success',
        ip: '10.0.0.1',
        detail: '{"userId":"u1"}',
      },
      {
        actor: 'ada',
        action: 'auth.sign-in',
        result: 'failure',
        detail: '{"reason":"bad-credentials"}',
      },
      { actor: 'ada', action: 'auth.sign-out', result: 'success' },
    ]);
    await app.db.deleteFrom('audit_events').execute();
  });

  it('has no route that changes or removes a row', () => {
    const routes = app.printRoutes({ commonPrefix: false });
    expect(routes).toContain('/k8s-api/v1/audit (GET, HEAD)');
    expect(routes).not.toMatch(/\/k8s-api\/v1\/audit.*(POST|PUT|PATCH|DELETE)/);
  });
});

const targets: Record<
  DbConfig['dialect'],
  () => Promise<{ db: DbConfig | undefined; stop: () => Promise<void> }>
> = {
  sqlite: () => Promise.resolve({ db: undefined, stop: () => Promise.resolve() }),
  postgres: async () => {
    const database = await createTestDatabase();
    return { db: { dialect: 'postgres', url: database.url, poolMax: 4 }, stop: database.stop };
  },
};

describe.each(['sqlite', 'postgres'] as const)('the audit record on %s', (dialect) => {
  let stop: () => Promise<void>;
  let cleanUp: () => Promise<void>;
  let t: RbacTestApp;
  let app: FastifyInstance;
  const base = Date.UTC(2025, 0, 1);

  beforeAll(async () => {
    const target = await targets[dialect]();
    stop = target.stop;
    t = await rbacTestApp(target.db ? { db: target.db } : {});
    ({ app, cleanUp } = t);
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await cleanUp();
    await stop();
  });

  it('keeps every queued event through a close', async () => {
    await app.db.deleteFrom('audit_events').execute();
    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        app.audit.record({
          actor: 'load',
          action: 'test.durability',
          result: 'success',
          detail: { i },
        }),
      ),
    );
    // Nothing has reached the store yet: the flush interval has not passed.
    const early = await app.db.selectFrom('audit_events').select('id').execute();
    expect(early.length).toBeLessThan(500);

    await t.close();
    t = await rbacTestApp({ db: t.db });
    app = t.app;
    const { count } = await app.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('action', '=', 'test.durability')
      .executeTakeFirstOrThrow();
    expect(count).toBe(500);
  });

  describe('GET /k8s-api/v1/audit', () => {
    // 30 events a minute apart: three actors, two clusters, every third one denied.
    beforeAll(async () => {
      await app.db.deleteFrom('audit_events').execute();
      const events = Array.from({ length: 30 }, (_, i) => ({
        id: eventId(base + i * 60_000),
        at: base + i * 60_000,
        actor: ['ada', 'bob', 'cy'][i % 3] ?? 'ada',
        action: i % 2 === 0 ? 'POST /k8s-api/v1/roles' : 'auth.sign-in',
        cluster: i < 15 ? 'prod' : 'dev',
        namespace: i < 15 ? 'web' : null,
        kind: null,
        name: null,
        verb: null,
        result: i % 3 === 2 ? 'denied' : 'success',
        detail: JSON.stringify({ i }),
        ip: null,
      }));
      await app.db.insertInto('audit_events').values(events).execute();
    });

    const list = async (query: string, headers = admin) => {
      const res = await app.inject({ url: `/k8s-api/v1/audit${query}`, headers });
      return res;
    };
    const numbers = (page: Page) => page.items.map((item) => (item.detail as { i: number }).i);

    it('answers newest first', async () => {
      const page = (await list('?limit=3')).json<Page>();
      expect(numbers(page)).toEqual([29, 28, 27]);
      expect(page.items[0]?.at).toBe(new Date(base + 29 * 60_000).toISOString());
    });

    it.each([
      ['?actor=bob', [28, 25, 22, 19, 16, 13, 10, 7, 4, 1]],
      ['?result=denied&cluster=prod', [14, 11, 8, 5, 2]],
      ['?action=auth.sign-in&namespace=web', [13, 11, 9, 7, 5, 3, 1]],
      [`?since=${base + 25 * 60_000}`, [29, 28, 27, 26, 25]],
      [`?until=${new Date(base + 3 * 60_000).toISOString()}`, [2, 1, 0]],
      [`?since=${base + 10 * 60_000}&until=${base + 13 * 60_000}&actor=ada`, [12]],
    ])('filters %s', async (query, expected) => {
      expect(numbers((await list(query)).json<Page>())).toEqual(expected);
    });

    it('pages with a cursor, without gaps or repeats, to the end', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await list(`?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`);
        const page: Page = res.json<Page>();
        seen.push(...numbers(page));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null);
      expect(pages).toBe(5);
      expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i));
    });

    it('pages within a filter', async () => {
      const first = (await list('?actor=cy&limit=4')).json<Page>();
      const second = (
        await list(`?actor=cy&limit=4&cursor=${first.nextCursor ?? ''}`)
      ).json<Page>();
      expect([...numbers(first), ...numbers(second)]).toEqual([29, 26, 23, 20, 17, 14, 11, 8]);
    });

    it.each([
      ['?limit=501', 'Invalid request: querystring/limit must be <= 500'],
      ['?limit=0', 'Invalid request: querystring/limit must be >= 1'],
      [
        '?cursor=bogus',
        'Invalid request: querystring/cursor is not one this server gave out; start again without it',
      ],
      [
        '?since=yesterday',
        'Invalid request: querystring/since must be an ISO 8601 time or milliseconds since the epoch',
      ],
      ['?result=maybe', expect.stringContaining('querystring/result') as unknown],
    ])('refuses %s', async (query, message) => {
      const res = await list(query);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'BadRequest', message });
    });

    it('is for administrators only', async () => {
      const res = await list('', as('ed'));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ code: 'Forbidden', message: 'You may not list audit.' });
    });

    it('shows this replica’s events not yet flushed', async () => {
      await app.audit.record({ actor: 'zed', action: 'test.fresh', result: 'success' });
      const page = (await list('?actor=zed')).json<Page>();
      expect(page.items.map((item) => item.action)).toEqual(['test.fresh']);
    });
  });
});
