import { useNamespace } from '@binnacle/testcluster/vitest/namespace';
import { afterAll, describe, expect, it } from 'vitest';
import { KubeClient } from './client.ts';
import { core } from './resource.ts';
import { exec } from './streams/exec.ts';
import { connectionFromFile, rejection, testClient } from './testing.ts';
import type { KubeObject } from './types.ts';
import { inject } from 'vitest';

const ns = useNamespace('kube-client');
const client = testClient();
afterAll(() => client.close());

const configMap = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns.name },
  data,
});

describe('requests', () => {
  it('creates, gets, replaces and deletes', async () => {
    const created = await client.create(core.configmaps, configMap('crud', { a: '1' }));
    expect(created.metadata.uid).toBeTruthy();
    const got = await client.get<KubeObject & { data: Record<string, string> }>(core.configmaps, {
      namespace: ns.name,
      name: 'crud',
    });
    expect(got.data).toEqual({ a: '1' });
    const replaced = await client.replace(core.configmaps, { ...got, data: { a: '2' } });
    expect(replaced.data).toEqual({ a: '2' });
    await client.delete(
      core.configmaps,
      { namespace: ns.name, name: 'crud' },
      { propagationPolicy: 'Background' },
    );
    expect(
      (await rejection(client.get(core.configmaps, { namespace: ns.name, name: 'crud' }))).code,
    ).toBe(404);
  });

  it('patches with merge, strategic-merge, JSON patch and server-side apply', async () => {
    await client.create(core.configmaps, configMap('patched', { a: '1' }));
    const ref = { namespace: ns.name, name: 'patched' };
    let cm = await client.patch(core.configmaps, ref, { data: { b: '2' } }, { type: 'merge' });
    expect(cm.data).toEqual({ a: '1', b: '2' });
    cm = await client.patch(core.configmaps, ref, { data: { c: '3' } }, { type: 'strategic' });
    expect(cm.data).toEqual({ a: '1', b: '2', c: '3' });
    cm = await client.patch(core.configmaps, ref, [{ op: 'remove', path: '/data/a' }], {
      type: 'json',
    });
    expect(cm.data).toEqual({ b: '2', c: '3' });
    cm = await client.apply(core.configmaps, configMap('patched', { b: 'applied' }), {
      fieldManager: 'binnacle-test',
      force: true,
    });
    expect((cm.data as Record<string, string>).b).toBe('applied');
    const managers = (cm.metadata.managedFields as { manager: string }[]).map((m) => m.manager);
    expect(managers).toContain('binnacle-test');
  });

  it('refuses server-side apply without a field manager', () => {
    expect(() =>
      client.patch(core.configmaps, { namespace: ns.name, name: 'x' }, {}, { type: 'apply' }),
    ).toThrow(/fieldManager/);
  });

  it('keeps nothing on a dry run', async () => {
    const dry = await client.create(core.configmaps, configMap('dry'), { dryRun: true });
    expect(dry.metadata.name).toBe('dry');
    expect(
      (await rejection(client.get(core.configmaps, { namespace: ns.name, name: 'dry' }))).reason,
    ).toBe('NotFound');
  });

  it('pages through a list with limit and continue', async () => {
    for (let i = 0; i < 25; i++)
      await client.create(core.configmaps, configMap(`page-${String(i).padStart(2, '0')}`));
    const sizes: number[] = [];
    for await (const page of client.listPages(core.configmaps, {
      namespace: ns.name,
      labelSelector: '',
      limit: 10,
    })) {
      sizes.push(page.items.length);
    }
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(sizes.slice(0, -1).every((n) => n === 10)).toBe(true);
    const names: string[] = [];
    for await (const cm of client.listAll(core.configmaps, { namespace: ns.name, limit: 7 }))
      names.push(cm.metadata.name ?? '');
    expect(names.filter((n) => n.startsWith('page-'))).toHaveLength(25);
    expect(new Set(names).size).toBe(names.length);
  });

  it('asks for the Table format', async () => {
    const table = await client.table(core.pods, { namespace: 'demo' });
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Name', 'Ready', 'Status']),
    );
    expect(table.rows.length).toBeGreaterThan(0);
  });

  it('streams a raw answer without parsing it', async () => {
    const res = await client.raw({ path: '/api/v1/namespaces/demo/pods' });
    let bytes = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) bytes += chunk.length;
    expect(bytes).toBeGreaterThan(100);
  });
});

describe('errors', () => {
  it('maps a Status to KubeError with code, reason, message and details', async () => {
    const err = await rejection(
      client.get(core.configmaps, { namespace: ns.name, name: 'missing' }),
    );
    expect(err.toJSON()).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "missing" not found',
      details: { name: 'missing', kind: 'configmaps' },
    });
  });

  it('reports invalid objects with their causes', async () => {
    const err = await rejection(client.create(core.configmaps, configMap('Not_Valid')));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.details?.causes?.[0]?.field).toBe('metadata.name');
  });

  it('reports 403 for a user without the permission', async () => {
    const viewer = testClient({ viewer: true });
    try {
      const err = await rejection(viewer.list(core.pods, { namespace: 'kube-system' }));
      expect(err.code).toBe(403);
      expect(err.reason).toBe('Forbidden');
      expect(err.message).toContain('demo-viewer');
    } finally {
      await viewer.close();
    }
  });

  it('names network and TLS failures without credentials', async () => {
    const conn = connectionFromFile(inject('kubeconfig'));
    const unreachable = new KubeClient(
      { ...conn, server: 'https://127.0.0.1:1' },
      { timeoutMs: 5_000 },
    );
    const wrongCa = new KubeClient({ ...conn, ca: undefined });
    try {
      const net = await rejection(unreachable.list(core.namespaces));
      expect(net.reason).toBe('NetworkError');
      expect(net.message).toMatch(
        /cannot reach 127\.0\.0\.1:1\/api\/v1\/namespaces \(ECONNREFUSED\)/,
      );
      const tls = await rejection(wrongCa.list(core.namespaces));
      expect(tls.reason).toBe('TLSError');
      for (const err of [net, tls]) {
        const text = JSON.stringify(err.toJSON()) + String(err.stack);
        expect(text).not.toContain('BEGIN');
        expect(text.toLowerCase()).not.toContain('authorization');
      }
    } finally {
      await unreachable.close();
      await wrongCa.close();
    }
  });

  it('aborts a request when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(client.list(core.pods, { signal: controller.signal }));
    expect(err.reason).toBe('Aborted');
  });
});

describe('credentials and TLS', () => {
  it('authenticates with a bearer token (a service account token from the TokenRequest API)', async () => {
    await client.create(core.serviceaccounts, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'robot', namespace: ns.name },
    });
    const request = await client.request<{ status: { token: string } }>({
      method: 'POST',
      path: `/api/v1/namespaces/${ns.name}/serviceaccounts/robot/token`,
      body: JSON.stringify({
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {},
      }),
    });
    const conn = connectionFromFile(inject('kubeconfig'));
    const robot = new KubeClient({
      server: conn.server,
      ca: conn.ca,
      token: () => request.status.token,
    });
    try {
      const review = await robot.request<{ status: { userInfo: { username: string } } }>({
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
      });
      expect(review.status.userInfo.username).toBe(`system:serviceaccount:${ns.name}:robot`);
      expect((await rejection(robot.list(core.pods, { namespace: ns.name }))).code).toBe(403);
    } finally {
      await robot.close();
    }
  });

  it('verifies the server name given by tls-server-name', async () => {
    const conn = connectionFromFile(inject('kubeconfig'));
    const right = new KubeClient({ ...conn, tlsServerName: 'kubernetes.default' });
    const wrong = new KubeClient({ ...conn, tlsServerName: 'elsewhere.example' });
    const insecure = new KubeClient({
      ...conn,
      ca: undefined,
      tlsServerName: 'elsewhere.example',
      insecureSkipTlsVerify: true,
    });
    try {
      expect((await right.list(core.namespaces)).items.length).toBeGreaterThan(0);
      expect((await rejection(wrong.list(core.namespaces))).reason).toBe('TLSError');
      expect((await insecure.list(core.namespaces)).items.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([right.close(), wrong.close(), insecure.close()]);
    }
  });
});

describe('impersonation', () => {
  it('acts as the impersonated user', async () => {
    const conn = connectionFromFile(inject('kubeconfig'));
    const as = new KubeClient({
      ...conn,
      impersonate: { user: 'demo-viewer', groups: ['system:authenticated'] },
    });
    try {
      expect((await as.list(core.pods, { namespace: 'demo' })).items.length).toBeGreaterThan(0);
      expect((await rejection(as.list(core.pods, { namespace: 'kube-system' }))).code).toBe(403);
    } finally {
      await as.close();
    }
  });

  it('acts as a person through a shared pool with as(), for requests and streams', async () => {
    const viewer = client.as({ user: 'demo-viewer', groups: ['system:authenticated'] });
    expect((await viewer.list(core.pods, { namespace: 'demo' })).items.length).toBeGreaterThan(0);
    expect((await rejection(viewer.list(core.pods, { namespace: 'kube-system' }))).code).toBe(403);
    const execErr = await rejection(
      exec(viewer, { namespace: 'demo', pod: 'hello', command: ['true'] }),
    );
    expect(execErr.code).toBe(403);
    expect(execErr.message).toMatch(/User "demo-viewer" cannot \w+ resource "pods\/exec"/);
    // The admin client itself is unchanged.
    expect((await client.list(core.pods, { namespace: 'kube-system' })).items).toBeDefined();
  });

  it('drops Impersonate-* headers a caller passes', async () => {
    const review = await client.request<{ status: { userInfo: { username: string } } }>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      headers: { 'Impersonate-User': 'demo-viewer' },
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
    });
    expect(review.status.userInfo.username).toBe('binnacle-admin');
  });
});
