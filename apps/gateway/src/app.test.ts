// The whole gateway as `make start` builds it: sign in, add the test cluster, reach it, and the
// refusals on the way, through every plugin at once.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signIn, testApp, type TestApp } from '../test/app.js';

let t: TestApp;
let admin: { authorization: string };

beforeAll(async () => {
  t = await testApp();
  admin = { authorization: `Bearer ${(await signIn(t.app)).accessToken}` };
});
afterAll(() => t.close());

interface Cluster {
  id: string;
  name: string;
  health: { reachable: boolean | null; version: string | null };
}

describe('the assembled gateway', () => {
  it('refuses an anonymous import with 401 and writes nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/clusters/import',
      payload: { kubeconfig: readFileSync(inject('kubeconfig'), 'utf8') },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ code: 'Unauthorized', message: 'Sign in first.' });
    const list = await t.app.inject({ url: '/k8s-api/v1/clusters', headers: admin });
    expect(list.json<{ items: Cluster[] }>().items).toEqual([]);
  });

  it('lets the administrator import the test cluster, which becomes healthy', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/clusters/import',
      headers: admin,
      payload: { kubeconfig: readFileSync(inject('kubeconfig'), 'utf8'), names: {} },
    });
    expect(res.statusCode).toBe(201);
    const [cluster] = res.json<{ items: Cluster[] }>().items;
    expect(cluster?.name).toMatch(/^binnacle-/);
    await expect
      .poll(
        async () => {
          const got = await t.app.inject({
            url: `/k8s-api/v1/clusters/${cluster?.id ?? ''}`,
            headers: admin,
          });
          return got.json<Cluster>().health;
        },
        { timeout: 15_000 },
      )
      .toMatchObject({ reachable: true, version: expect.stringMatching(/^v1\.36\./) as unknown });
    expect(res.body).not.toContain('BEGIN');
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(
      new RegExp(
        `binnacle_upstream_request_duration_seconds_count\\{cluster="${cluster?.id ?? ''}",method="GET",status="200"\\} [1-9]`,
      ),
    );
  });

  it('refuses a signed-in person without a role, with 403 and an audit row', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/users',
      headers: admin,
      payload: { username: 'nobody', password: 'a-long-enough-password' },
    });
    expect(created.statusCode).toBe(201);
    const nobody = {
      authorization: `Bearer ${(await signIn(t.app, 'nobody', 'a-long-enough-password')).accessToken}`,
    };
    const res = await t.app.inject({ url: '/k8s-api/v1/clusters', headers: nobody });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ code: string }>().code).toBe('Forbidden');
    const audit = await t.app.inject({
      url: '/k8s-api/v1/audit?actor=nobody&result=denied',
      headers: admin,
    });
    expect(audit.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);
  });
});
