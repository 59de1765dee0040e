import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorize, fromParam } from './enforce.js';
import { as, rbacTestApp, type RbacTestApp } from '../../../test/rbac-app.js';

const admin = as('root', ['binnacle-admins']);
const viewer = as('vera', ['viewers']);
const editor = as('ed');
const team = as('tess');

const inNamespace = {
  cluster: fromParam('cluster'),
  namespace: fromParam('namespace'),
};
const ns = '/k8s-api/v1/clusters/:cluster/namespaces/:namespace';

let handled = 0;

// Stand-ins for the resources and streams plugins' routes: one writes a row, the others answer.
function routes(app: FastifyInstance): void {
  app.post(
    `${ns}/configmaps`,
    { config: { rbac: { resource: 'configmaps', verb: 'create', ...inNamespace } } },
    async (request, reply) => {
      handled++;
      await app.db
        .insertInto('settings')
        .values({ key: `configmap:${request.url}:${handled}`, value: '{}' })
        .execute();
      return reply.status(201).send({ created: true });
    },
  );
  const answer = (): { ok: boolean } => {
    handled++;
    return { ok: true };
  };
  app.get(
    `${ns}/pods/:name/exec`,
    { config: { rbac: { resource: 'pods', verb: 'exec', ...inNamespace } } },
    answer,
  );
  app.get(
    `${ns}/secrets/:name`,
    { config: { rbac: { resource: 'secrets', verb: 'get', ...inNamespace } } },
    answer,
  );
  app.get(
    `${ns}/secrets`,
    { config: { rbac: { resource: 'secrets', verb: 'list', ...inNamespace } } },
    answer,
  );
  app.get(
    '/k8s-api/v1/clusters/:cluster/nodes',
    { config: { rbac: { resource: 'nodes', verb: 'list', cluster: fromParam('cluster') } } },
    answer,
  );
  // As a WebSocket route does it: authorized in preValidation, before the upgrade (and the body).
  app.post(
    `${ns}/pods/:name/attach`,
    {
      config: { rbac: { resource: 'pods', verb: 'exec', ...inNamespace } },
      preValidation: authorize,
      schema: {
        body: {
          type: 'object',
          required: ['command'],
          properties: { command: { type: 'string' } },
        },
      },
    },
    answer,
  );
  app.get('/k8s-api/v1/version', { config: { rbac: { public: true } } }, answer);
  app.get('/k8s-api/v1/me', { config: { rbac: { authenticated: true } } }, answer);
}

async function rowCount(app: FastifyInstance): Promise<number> {
  const rows = await app.db.selectFrom('settings').select('key').execute();
  return rows.length;
}

describe('the rbac plugin', () => {
  let t: RbacTestApp;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await rbacTestApp({ routes });
    app = t.app;
    // The team's role: everything, but only in namespace x of cluster a.
    const created = await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/roles',
      headers: admin,
      payload: {
        name: 'team-x',
        rules: [
          { clusters: ['a'], namespaces: ['x'], resources: ['*'], verbs: ['*'], effect: 'allow' },
        ],
      },
    });
    expect(created.statusCode).toBe(201);
    const teamRole = created.json<{ id: string }>().id;
    for (const payload of [
      { roleId: 'builtin-viewer', subjectKind: 'group', subject: 'viewers' },
      { roleId: 'builtin-editor', subjectKind: 'user', subject: 'ed' },
      { roleId: teamRole, subjectKind: 'user', subject: 'tess' },
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/k8s-api/v1/rolebindings',
        headers: admin,
        payload,
      });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await t.close();
    await t.cleanUp();
  });

  describe('refusals happen before the handler', () => {
    it('answers 401 to an anonymous caller, and nothing is written', async () => {
      const before = handled;
      const res = await app.inject({
        method: 'POST',
        url: '/k8s-api/v1/clusters/a/namespaces/x/configmaps',
        payload: {},
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 'Unauthorized', message: 'Sign in first.' });
      expect(handled).toBe(before);
      expect(await rowCount(app)).toBe(0);
    });

    it('answers 403 to a viewer creating a configmap, and nothing is written', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/k8s-api/v1/clusters/a/namespaces/x/configmaps',
        headers: viewer,
        payload: {},
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        code: 'Forbidden',
        message: 'You may not create configmaps in a/x.',
      });
      expect(await rowCount(app)).toBe(0);
    });

    it('lets an editor create it', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/k8s-api/v1/clusters/a/namespaces/x/configmaps',
        headers: editor,
        payload: {},
      });
      expect(res.statusCode).toBe(201);
      expect(await rowCount(app)).toBe(1);
    });

    it('lets anyone call a public route and anyone signed in an authenticated one', async () => {
      expect((await app.inject({ url: '/k8s-api/v1/version' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/k8s-api/v1/me' })).json()).toEqual({
        code: 'Unauthorized',
        message: 'Sign in first.',
      });
      expect((await app.inject({ url: '/k8s-api/v1/me', headers: as('nobody') })).statusCode).toBe(
        200,
      );
    });
  });

  describe('authorize() in preValidation, as WebSocket routes use it', () => {
    const url = '/k8s-api/v1/clusters/a/namespaces/x/pods/web-1/attach';

    it('refuses before the body is even checked', async () => {
      const anonymous = await app.inject({ method: 'POST', url, payload: {} });
      expect(anonymous.json()).toEqual({ code: 'Unauthorized', message: 'Sign in first.' });
      const refused = await app.inject({ method: 'POST', url, headers: viewer, payload: {} });
      expect(refused.json()).toEqual({
        code: 'Forbidden',
        message: 'You may not exec pods in a/x.',
      });
    });

    it('asks once: the preHandler does not check again', async () => {
      const can = vi.spyOn(app.rbac, 'can');
      const res = await app.inject({
        method: 'POST',
        url,
        headers: editor,
        payload: { command: 'sh' },
      });
      expect(res.statusCode).toBe(200);
      expect(can).toHaveBeenCalledTimes(1);
      can.mockRestore();
    });
  });

  describe('a viewer', () => {
    it.each([
      ['exec into a pod', '/pods/web-1/exec', 'You may not exec pods in a/x.'],
      ['get a Secret (its data)', '/secrets/db-password', 'You may not get secrets in a/x.'],
    ])('may not %s', async (_what, path, message) => {
      const before = handled;
      const res = await app.inject({
        url: `/k8s-api/v1/clusters/a/namespaces/x${path}`,
        headers: viewer,
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ code: 'Forbidden', message });
      expect(handled).toBe(before);
    });

    it('may list Secrets (names and types; the list carries no data)', async () => {
      const res = await app.inject({
        url: '/k8s-api/v1/clusters/a/namespaces/x/secrets',
        headers: viewer,
      });
      expect(res.statusCode).toBe(200);
    });
  });

  describe('a user bound only in cluster a, namespace x', () => {
    it.each([
      ['a', 'x', 201],
      ['b', 'x', 403],
      ['a', 'y', 403],
    ])('creating in %s/%s gets %i', async (cluster, namespace, status) => {
      const res = await app.inject({
        method: 'POST',
        url: `/k8s-api/v1/clusters/${cluster}/namespaces/${namespace}/configmaps`,
        headers: team,
        payload: {},
      });
      expect(res.statusCode).toBe(status);
      if (status === 403) {
        expect(res.json()).toEqual({
          code: 'Forbidden',
          message: `You may not create configmaps in ${cluster}/${namespace}.`,
        });
      }
    });

    it('may not list nodes (cluster scope) even in cluster a', async () => {
      const res = await app.inject({ url: '/k8s-api/v1/clusters/a/nodes', headers: team });
      expect(res.json()).toEqual({ code: 'Forbidden', message: 'You may not list nodes in a.' });
    });

    it('may not manage roles', async () => {
      const res = await app.inject({ url: '/k8s-api/v1/roles', headers: team });
      expect(res.json()).toEqual({ code: 'Forbidden', message: 'You may not list roles.' });
    });
  });

  describe('GET /access', () => {
    it('tells a viewer what it may do in a namespace', async () => {
      const res = await app.inject({
        url: '/k8s-api/v1/access?cluster=a&namespace=x&resources=pods,secrets,apps/deployments,roles',
        headers: viewer,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ rules: { role: string }[] }>();
      expect(body).toMatchObject({
        cluster: 'a',
        namespace: 'x',
        can: {
          pods: ['get', 'list', 'watch'],
          secrets: ['list', 'watch'],
          'apps/deployments': ['get', 'list', 'watch'],
          roles: [],
        },
      });
      expect(body.rules.map((rule) => rule.role)).toEqual(['viewer', 'viewer']);
    });

    it('answers a default set of resources, and only the rules that apply there', async () => {
      const res = await app.inject({
        url: '/k8s-api/v1/access?cluster=b&namespace=x',
        headers: team,
      });
      const body = res.json<{ rules: unknown[]; can: Record<string, string[]> }>();
      expect(body.rules).toEqual([]);
      expect(body.can.pods).toEqual([]);
      expect(Object.keys(body.can)).toContain('apps/deployments');
    });

    it('answers the gateway resources when no cluster is named', async () => {
      const forAdmin = await app.inject({ url: '/k8s-api/v1/access', headers: admin });
      expect(forAdmin.json<{ can: Record<string, string[]> }>().can.roles).toEqual([
        'get',
        'list',
        'watch',
        'create',
        'update',
        'patch',
        'delete',
        'log',
        'exec',
        'node-shell',
        'port-forward',
      ]);
      const forEditor = await app.inject({ url: '/k8s-api/v1/access', headers: editor });
      expect(forEditor.json<{ can: Record<string, string[]> }>().can).toMatchObject({
        roles: [],
        users: [],
        audit: [],
      });
    });

    it('wants a signed-in caller', async () => {
      expect((await app.inject({ url: '/k8s-api/v1/access' })).statusCode).toBe(401);
    });
  });

  describe('POST /access/review', () => {
    it.each([
      [
        viewer,
        { cluster: 'a', namespace: 'x', resource: 'pods', verb: 'exec' },
        { allowed: false, reason: 'no role of vera allows exec pods in a/x' },
      ],
      [
        editor,
        { cluster: 'a', namespace: 'x', resource: 'pods', verb: 'exec' },
        { allowed: true, reason: 'allowed by role "editor"' },
      ],
      [
        team,
        { cluster: 'a', namespace: 'x', resource: 'secrets', verb: 'get' },
        { allowed: true, reason: 'allowed by role "team-x"' },
      ],
      [
        admin,
        { resource: 'audit', verb: 'list' },
        { allowed: true, reason: 'allowed by role "admin"' },
      ],
    ])('answers %o about %o', async (headers, payload, expected) => {
      const res = await app.inject({
        method: 'POST',
        url: '/k8s-api/v1/access/review',
        headers,
        payload,
      });
      expect(res.json()).toEqual(expected);
    });
  });
});
