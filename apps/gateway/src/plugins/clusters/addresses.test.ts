// Cluster addresses against the real test cluster (which listens on 127.0.0.1, an address refused
// by default): refused literals and names, an allowed network, DNS rebinding refused at connect
// time, plain http, proxy-url and impersonation in uploads, and a server that is no API server.
import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { core } from '@binnacle/kube';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  clustersTestApp,
  refusedImport,
  type ClusterViewBody,
  type ClustersTestApp,
} from '../../../test/clusters-app.js';
import { adminKubeconfig, kubeconfigOf } from '../../../test/clusters-cluster.js';
import type { Resolve } from './addresses/policy.js';

const url = '/k8s-api/v1/clusters';
const admin = adminKubeconfig();
const port = new URL(admin.server).port;
const allowedSetting = 'an administrator can allow it with BINNACLE_CLUSTER_ALLOWED_CIDRS';

/** A resolver that answers `answers[i]` the i-th time it is asked (the last one after that). */
function rebinding(...answers: string[]): Resolve {
  let calls = 0;
  return (): Promise<LookupAddress[]> => {
    const address = answers[Math.min(calls, answers.length - 1)] ?? '';
    calls += 1;
    return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
  };
}

/** A test route that lists namespaces with a cluster's client and answers the error message. */
function listRoute(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>('/test/list/:id', async (request) => {
    try {
      const list = await (await app.clusters.client(request.params.id)).list(core.namespaces);
      return { items: list.items.length };
    } catch (err) {
      return { error: (err as Error).message };
    }
  });
}

async function addForm(
  app: FastifyInstance,
  payload: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.inject({ method: 'POST', url, headers: as('ada'), payload });
  return { status: res.statusCode, body: res.json() };
}

async function importKubeconfig(app: FastifyInstance, kubeconfig: string, name: string) {
  const res = await app.inject({
    method: 'POST',
    url: `${url}/import`,
    headers: as('ada'),
    payload: { kubeconfig, names: { [admin.context]: name } },
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

/** The cluster's health once its first check is done. */
async function checkedHealth(app: FastifyInstance, id: string): Promise<ClusterViewBody['health']> {
  for (let i = 0; i < 200; i += 1) {
    const res = await app.inject({ method: 'GET', url: `${url}/${id}`, headers: as('ada') });
    const { health } = res.json<ClusterViewBody>();
    if (health.checkedAt !== null) return health;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the first health check never finished');
}

const lastError = (health: ClusterViewBody['health']): string =>
  (health as { lastError?: string | null }).lastError ?? '';

/** The admin kubeconfig with its server at another host (the same port and credentials). */
function atHost(host: string): string {
  return kubeconfigOf(admin, {
    [admin.context]: { cluster: { server: `https://${host}:${port}` } },
  });
}

describe('by default (no network allowed)', () => {
  let t: ClustersTestApp;
  beforeAll(async () => {
    t = await clustersTestApp({ env: { BINNACLE_CLUSTER_ALLOWED_CIDRS: '' } });
  });
  afterAll(() => t.close());

  it('refuses the test cluster at 127.0.0.1, naming the address and the setting', async () => {
    const { status, body } = await refusedImport(t.app, { kubeconfig: admin.text });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'Refused' });
    expect((body as { message: string }).message).toContain(
      `server is refused: 127.0.0.1 is a loopback address (127.0.0.0/8); ${allowedSetting}`,
    );
  });

  it.each([
    ['[::1]', '::1 is a loopback address (::1/128)'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1 (IPv4-mapped), which reaches 127.0.0.1'],
    ['[64:ff9b::a9fe:a9fe]', 'which reaches 169.254.169.254, the cloud metadata address'],
    ['[2002:a00:1::]', 'which reaches 10.0.0.1, a private address (10.0.0.0/8)'],
    ['10.0.0.1', '10.0.0.1 is a private address (10.0.0.0/8)'],
    ['100.64.1.1', '100.64.1.1 is a carrier-grade NAT address (100.64.0.0/10)'],
    ['[fd00::1]', 'fd00::1 is a unique local address (fc00::/7)'],
  ])('refuses a server at %s', async (host, reason) => {
    const { status, body } = await addForm(t.app, {
      name: 'literal',
      server: `https://${host}:${port}`,
      ca: admin.ca,
      token: 'x',
    });
    expect(status).toBe(400);
    expect(body.message).toContain(reason);
    expect(body.message).toContain(allowedSetting);
  });

  it('refuses a name that resolves to a loopback address (localhost), in previews too', async () => {
    const { status, body } = await addForm(t.app, {
      name: 'by-name',
      server: `https://localhost:${port}`,
      ca: admin.ca,
      token: 'x',
    });
    expect(status).toBe(400);
    expect(body.message).toMatch(
      /server is refused: localhost resolves to (127\.0\.0\.1, a loopback address \(127\.0\.0\.0\/8\)|::1, a loopback address \(::1\/128\)); an administrator can allow it with BINNACLE_CLUSTER_ALLOWED_CIDRS/,
    );
    const preview = await t.app.inject({
      method: 'POST',
      url: `${url}/preview-import`,
      headers: as('ada'),
      payload: { kubeconfig: atHost('localhost') },
    });
    expect(preview.statusCode).toBe(200);
    const [context] = preview.json<{ contexts: { refusals: { field: string }[] }[] }>().contexts;
    expect(context?.refusals.map((r) => r.field)).toEqual(['server']);
  });
});

describe('with the loopback network allowed', () => {
  let t: ClustersTestApp;
  beforeAll(async () => {
    t = await clustersTestApp({
      env: { BINNACLE_CLUSTER_ALLOWED_CIDRS: '127.0.0.0/8,::1/128' },
      routes: listRoute,
    });
  });
  afterAll(() => t.close());

  it('registers the test cluster and reaches it', async () => {
    const { status, body } = await importKubeconfig(t.app, admin.text, 'allowed');
    expect(status).toBe(201);
    const [created] = (body as { items: { id: string }[] }).items;
    const id = created?.id ?? '';
    expect(await checkedHealth(t.app, id)).toMatchObject({ reachable: true });
    const res = await t.app.inject({ method: 'GET', url: `/test/list/${id}` });
    expect(res.json<{ items: number }>().items).toBeGreaterThan(0);
  });

  it('still refuses other internal networks', async () => {
    const { status, body } = await addForm(t.app, {
      name: 'private',
      server: `https://192.168.0.1:${port}`,
      token: 'x',
    });
    expect(status).toBe(400);
    expect(body.message).toContain('192.168.0.1 is a private address (192.168.0.0/16)');
  });

  it('refuses plain http unless its network is allowed for http', async () => {
    const { status, body } = await addForm(t.app, {
      name: 'plain',
      server: `http://127.0.0.1:${port}`,
      token: 'x',
    });
    expect(status).toBe(400);
    expect(body.message).toContain(
      'plain http:// to 127.0.0.1 is refused — use https://; an administrator can allow http for chosen networks with BINNACLE_CLUSTER_HTTP_CIDRS',
    );
  });

  it.each([
    ['proxy-url', { cluster: { 'proxy-url': 'http://127.0.0.1:3128' } }, 'sets proxy-url'],
    [
      'as',
      { user: { token: 'x', as: 'someone-else' } },
      'sets as; impersonation in an uploaded kubeconfig is refused',
    ],
    [
      'as-groups',
      { user: { token: 'x', as: 'admin', 'as-groups': ['system:masters'] } },
      'sets as-groups; impersonation in an uploaded kubeconfig is refused',
    ],
    [
      'as-uid',
      { user: { token: 'x', as: 'admin', 'as-uid': '0' } },
      'sets as-uid; impersonation in an uploaded kubeconfig is refused',
    ],
  ])('refuses %s in an upload', async (field, entry, message) => {
    const kubeconfig = kubeconfigOf(admin, { [admin.context]: entry });
    const { status, body } = await refusedImport(t.app, { kubeconfig });
    expect(status).toBe(400);
    const { refusals } = (body as { details: { refusals: { field: string; message: string }[] } })
      .details;
    expect(refusals.find((r) => r.field === field)?.message).toContain(message);
  });
});

describe('DNS rebinding', () => {
  let t: ClustersTestApp;
  beforeAll(async () => {
    // registration sees 127.0.0.1 (allowed here); every later lookup answers 127.0.0.2
    t = await clustersTestApp({
      env: { BINNACLE_CLUSTER_ALLOWED_CIDRS: '127.0.0.1/32' },
      resolve: rebinding('127.0.0.1', '127.0.0.2'),
      routes: listRoute,
    });
  });
  afterAll(() => t.close());

  it('is refused at connect time, in health and in requests', async () => {
    const { status, body } = await importKubeconfig(t.app, atHost('localhost'), 'rebound');
    expect(status).toBe(201);
    const id = (body as { items: { id: string }[] }).items[0]?.id ?? '';
    const refusal =
      'connecting to localhost is refused: localhost resolves to 127.0.0.2, a loopback address (127.0.0.0/8); an administrator can allow it with BINNACLE_CLUSTER_ALLOWED_CIDRS';
    const health = await checkedHealth(t.app, id);
    expect(health.reachable).toBe(false);
    expect(lastError(health)).toBe(refusal);
    const res = await t.app.inject({ method: 'GET', url: `/test/list/${id}` });
    expect(res.json()).toEqual({ error: refusal });
  });
});

describe('a server that is not a Kubernetes API server', () => {
  const marker = 'INTERNAL-PAGE-5f2c';
  let server: Server;
  let base: string;
  let t: ClustersTestApp;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/json/version') === true) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"page":"${marker}"}`);
      } else if (req.url?.startsWith('/text/') === true) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end(`${marker} forbidden`);
      } else {
        res.writeHead(404, { 'content-type': 'text/html' }).end(`<html>${marker}</html>`);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await clustersTestApp({
      env: {
        BINNACLE_CLUSTER_ALLOWED_CIDRS: '127.0.0.0/8',
        BINNACLE_CLUSTER_HTTP_CIDRS: '127.0.0.0/8',
      },
      routes: listRoute,
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => server.close(resolve));
  });

  async function add(name: string, serverUrl: string): Promise<string> {
    const { status, body } = await addForm(t.app, { name, server: serverUrl, token: 'x' });
    expect(status, JSON.stringify(body)).toBe(201);
    return body.id as string;
  }

  it('is never echoed in health or errors (HTML, text, JSON without a version)', async () => {
    const host = new URL(base).host;
    const html = await add('html', base);
    const htmlHealth = await checkedHealth(t.app, html);
    expect(lastError(htmlHealth)).toBe(
      `the server at ${host}/version did not answer like a Kubernetes API server (HTTP 404)`,
    );
    const list = await t.app.inject({ method: 'GET', url: `/test/list/${html}` });
    expect(list.json()).toEqual({
      error: `the server at ${host}/api/v1/namespaces did not answer like a Kubernetes API server (HTTP 404)`,
    });

    const text = await add('text', `${base}/text`);
    const textList = await t.app.inject({ method: 'GET', url: `/test/list/${text}` });
    expect(textList.json()).toEqual({
      error: `the server at ${host}/api/v1/namespaces did not answer like a Kubernetes API server (HTTP 403)`,
    });

    const json = await add('json', `${base}/json`);
    expect(lastError(await checkedHealth(t.app, json))).toBe(
      `the server at ${host} did not answer like a Kubernetes API server (its /version has no gitVersion)`,
    );

    const all = await t.app.inject({ method: 'GET', url, headers: as('ada') });
    expect(all.body).not.toContain(marker);
    for (const res of [list, textList]) expect(res.body).not.toContain(marker);
  });

  it('including the API server itself spoken to in plain http', async () => {
    const id = await add('plain-http', `http://127.0.0.1:${port}`);
    const health = await checkedHealth(t.app, id);
    expect(health.reachable).toBe(false);
    expect(lastError(health)).toContain('did not answer like a Kubernetes API server (HTTP 400)');
    expect(lastError(health)).not.toContain('HTTPS');
  });
});
