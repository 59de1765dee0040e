// rbac and audit with the real auth plugin, registered in the order app.ts should use: the first
// administrator (group binnacle-admins) administers, a new user holds nothing until bound, and
// sign-ins reach the audit record.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testAuthApp, type AuthTestApp } from '../../../test/app.js';
import audit from '../audit/index.js';
import rbac from './index.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('rbac and audit with the auth plugin', () => {
  let t: AuthTestApp;
  let app: FastifyInstance;
  let adminToken: string;

  beforeAll(async () => {
    t = await testAuthApp();
    app = t.app;
    await app.register(rbac);
    await app.register(audit);
    await app.ready();
    adminToken = (await signIn(app)).accessToken;
  });
  afterAll(() => t.close());

  it('lets the first administrator manage roles and users', async () => {
    const roles = await app.inject({ url: '/k8s-api/v1/roles', headers: bearer(adminToken) });
    expect(roles.statusCode).toBe(200);
    const created = await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/users',
      headers: bearer(adminToken),
      payload: { username: 'dana', password: 'a-long-enough-password-42' },
    });
    expect(created.statusCode).toBe(201);
  });

  it('gives a new user nothing until a binding does', async () => {
    const dana = (await signIn(app, 'dana', 'a-long-enough-password-42')).accessToken;
    const refused = await app.inject({ url: '/k8s-api/v1/roles', headers: bearer(dana) });
    expect(refused.json()).toEqual({ code: 'Forbidden', message: 'You may not list roles.' });
    const access = await app.inject({
      url: '/k8s-api/v1/access?cluster=prod&namespace=web&resources=pods',
      headers: bearer(dana),
    });
    expect(access.json()).toMatchObject({ can: { pods: [] } });

    await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/rolebindings',
      headers: bearer(adminToken),
      payload: { roleId: 'builtin-viewer', subjectKind: 'user', subject: 'dana' },
    });
    // a roles change revokes the access tokens she holds (soon after); a fresh one has the grant
    const fresh = (await signIn(app, 'dana', 'a-long-enough-password-42')).accessToken;
    const granted = await app.inject({
      url: '/k8s-api/v1/access?cluster=prod&namespace=web&resources=pods',
      headers: bearer(fresh),
    });
    expect(granted.json()).toMatchObject({ can: { pods: ['get', 'list', 'watch'] } });
  });

  it('records sign-ins, refusals and changes, but not the sign-in request itself', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await app.audit.flush();
    const rows = await app.db
      .selectFrom('audit_events')
      .select(['actor', 'action', 'result'])
      .orderBy('at')
      .orderBy('id')
      .execute();
    const sequence = rows.filter((row) => !row.action.startsWith('revocation.'));
    expect(sequence).toEqual([
      { actor: 'admin', action: 'auth.sign-in', result: 'success' },
      { actor: 'admin', action: 'POST /k8s-api/v1/users', result: 'success' },
      { actor: 'dana', action: 'auth.sign-in', result: 'success' },
      { actor: 'dana', action: 'GET /k8s-api/v1/roles', result: 'denied' },
      { actor: 'admin', action: 'POST /k8s-api/v1/rolebindings', result: 'success' },
      { actor: 'dana', action: 'auth.sign-in', result: 'success' },
    ]);
  });
});
