import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, rbacTestApp, testUser, type RbacTestApp } from '../../../test/rbac-app.js';

const admin = as('root', ['binnacle-admins']);

describe('roles and bindings', () => {
  let t: RbacTestApp;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await rbacTestApp();
    app = t.app;
  });
  afterAll(async () => {
    await t.close();
    await t.cleanUp();
  });

  const rule = {
    clusters: ['*'],
    namespaces: ['*'],
    resources: ['pods'],
    verbs: ['get'],
    effect: 'allow',
  };

  it.each([
    [
      { name: 'r1', rules: [{ ...rule, verbs: ['gett'] }] },
      'Invalid request: body/rules/0/verbs/0 "gett" is not a verb: use one of get, list, watch, create, update, patch, delete, log, exec, node-shell, port-forward, or "*"',
    ],
    [
      { name: 'r1', rules: [{ ...rule, namespaces: ['Prod'] }] },
      'Invalid request: body/rules/0/namespaces/0 "Prod" is not a namespace: use a namespace name, "*" for all, or "" for cluster-scoped resources',
    ],
    [
      { name: 'R 1', rules: [rule] },
      expect.stringMatching(
        /^Invalid request: body\/name must be 1 to 63 lowercase letters/,
      ) as unknown,
    ],
    [
      { name: 'r1', rules: [{ ...rule, effect: 'maybe' }] },
      expect.stringMatching(/^Invalid request: body\/rules\/0\/effect /) as unknown,
    ],
    [
      { name: 'r1', rules: [{ ...rule, verbs: undefined }] },
      "Invalid request: body/rules/0 must have required property 'verbs'",
    ],
  ])('refuses %o with a message naming the field', async (payload, message) => {
    const res = await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/roles',
      headers: admin,
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BadRequest', message });
    const names = (await app.db.selectFrom('roles').select('name').execute()).map((r) => r.name);
    expect(names).not.toContain('r1');
  });

  it('creates, reads, renames, lists and deletes a role, with its bindings', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/roles',
      headers: admin,
      payload: { name: 'pod-reader', rules: [rule] },
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    expect(created.json()).toMatchObject({ name: 'pod-reader', builtin: false, rules: [rule] });

    const bound = await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/rolebindings',
      headers: admin,
      payload: { roleId: id, subjectKind: 'user', subject: 'pat' },
    });
    expect(bound.json()).toMatchObject({
      roleId: id,
      roleName: 'pod-reader',
      subjectKind: 'user',
      subject: 'pat',
    });
    expect(
      await app.rbac.can(testUser('pat'), {
        cluster: 'a',
        namespace: 'x',
        resource: 'pods',
        verb: 'get',
      }),
    ).toBe(true);

    const renamed = await app.inject({
      method: 'PUT',
      url: `/k8s-api/v1/roles/${id}`,
      headers: admin,
      payload: { name: 'pod-lister', rules: [{ ...rule, verbs: ['list'] }] },
    });
    expect(renamed.json()).toMatchObject({
      id,
      name: 'pod-lister',
      rules: [{ verbs: ['list'] }],
    });
    // The change applies at once: the cached rules were dropped.
    expect(
      await app.rbac.can(testUser('pat'), {
        cluster: 'a',
        namespace: 'x',
        resource: 'pods',
        verb: 'get',
      }),
    ).toBe(false);

    const listed = await app.inject({ url: '/k8s-api/v1/roles', headers: admin });
    expect(listed.json<{ items: { name: string }[] }>().items.map((r) => r.name)).toEqual([
      'admin',
      'editor',
      'pod-lister',
      'viewer',
    ]);

    expect(
      (await app.inject({ method: 'DELETE', url: `/k8s-api/v1/roles/${id}`, headers: admin }))
        .statusCode,
    ).toBe(204);
    expect((await app.inject({ url: `/k8s-api/v1/roles/${id}`, headers: admin })).json()).toEqual({
      code: 'NotFound',
      message: `No role has id "${id}".`,
    });
    const bindings = await app.inject({
      url: '/k8s-api/v1/rolebindings?subject=pat',
      headers: admin,
    });
    expect(bindings.json()).toEqual({ items: [] });
  });

  it('refuses a second role of the same name', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/roles',
      headers: admin,
      payload: { name: 'viewer', rules: [rule] },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      code: 'Conflict',
      message: 'A role named "viewer" already exists.',
    });
  });

  it('keeps the built-in roles and the administrators binding as they are', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/k8s-api/v1/roles/builtin-viewer',
      headers: admin,
      payload: { name: 'viewer', rules: [rule] },
    });
    expect(put.statusCode).toBe(409);
    expect(put.json<{ message: string }>().message).toBe(
      'The built-in role "viewer" cannot be changed or deleted; create a role of your own instead.',
    );
    const del = await app.inject({
      method: 'DELETE',
      url: '/k8s-api/v1/roles/builtin-admin',
      headers: admin,
    });
    expect(del.statusCode).toBe(409);
    const unbind = await app.inject({
      method: 'DELETE',
      url: '/k8s-api/v1/rolebindings/builtin-binnacle-admins',
      headers: admin,
    });
    expect(unbind.statusCode).toBe(409);
    expect(
      await app.rbac.can(testUser('root', ['binnacle-admins']), {
        resource: 'users',
        verb: 'delete',
      }),
    ).toBe(true);
  });

  it('refuses a binding to a role that does not exist, and a duplicate binding', async () => {
    const missing = await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/rolebindings',
      headers: admin,
      payload: { roleId: 'nope', subjectKind: 'group', subject: 'devs' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ message: string }>().message).toBe(
      'Invalid request: body/roleId names no role ("nope").',
    );
    const binding = { roleId: 'builtin-editor', subjectKind: 'user', subject: 'ed' };
    const post = () =>
      app.inject({
        method: 'POST',
        url: '/k8s-api/v1/rolebindings',
        headers: admin,
        payload: binding,
      });
    expect((await post()).statusCode).toBe(201);
    const duplicate = await post();
    expect(duplicate.json()).toEqual({
      code: 'Conflict',
      message: 'That role is already bound to that subject.',
    });
  });

  it('moves a binding to another role with PUT', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/k8s-api/v1/rolebindings',
      headers: admin,
      payload: { roleId: 'builtin-viewer', subjectKind: 'user', subject: 'mo' },
    });
    const { id } = created.json<{ id: string }>();
    const moved = await app.inject({
      method: 'PUT',
      url: `/k8s-api/v1/rolebindings/${id}`,
      headers: admin,
      payload: { roleId: 'builtin-editor', subjectKind: 'user', subject: 'mo' },
    });
    expect(moved.json()).toMatchObject({ id, roleName: 'editor' });
    expect(
      await app.rbac.can(testUser('mo'), {
        cluster: 'a',
        namespace: 'x',
        resource: 'pods',
        verb: 'exec',
      }),
    ).toBe(true);
  });

  it('caches rules per user until a change through the API or invalidate()', async () => {
    const sam = testUser('sam');
    const query = { cluster: 'a', namespace: 'x', resource: 'pods', verb: 'get' };
    expect(await app.rbac.can(sam, query)).toBe(false);
    // Written behind the API's back, as another replica would: this replica still has the old rules.
    await app.db
      .insertInto('role_bindings')
      .values({
        id: 'b-sam',
        role_id: 'builtin-viewer',
        subject_kind: 'user',
        subject: 'sam',
        created_at: 0,
      })
      .execute();
    expect(await app.rbac.can(sam, query)).toBe(false);
    app.rbac.invalidate();
    expect(await app.rbac.can(sam, query)).toBe(true);
  });
});
