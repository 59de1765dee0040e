// Strangers learn nothing: without a credential a protected route answers 401 before its input is
// validated, and WebSocket upgrades are refused with an HTTP status, never a 101, unless they reach
// a WebSocket route with a ticket. Raw HTTP and raw WebSocket clients against a listening gateway.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type TestApp } from '../../../test/app.js';
import { RefusedUpgrade, StreamClient } from '../../../test/streams-app.js';

let t: TestApp;
let base: string;
let admin: { authorization: string };
let viewer: { authorization: string };

/** Sends a raw upgrade request and returns the status line the server answered with. */
function rawUpgrade(path: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        [
          `GET ${path} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          '',
          '',
        ].join('\r\n'),
      );
    });
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n')) {
        resolve(text.split('\r\n')[0] ?? '');
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(text.split('\r\n')[0] ?? '');
    });
  });
}

/** A plain HTTP request with a body that the route's schema refuses. */
function rawPost(
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  t = await testApp();
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  admin = { authorization: `Bearer ${(await signIn(t.app)).accessToken}` };
  const created = await t.app.inject({
    method: 'POST',
    url: '/k8s-api/v1/users',
    headers: admin,
    payload: { username: 'stranger-viewer', password: 'a-long-enough-password' },
  });
  expect(created.statusCode).toBe(201);
  const bound = await t.app.inject({
    method: 'POST',
    url: '/k8s-api/v1/rolebindings',
    headers: admin,
    payload: { roleId: 'builtin-viewer', subjectKind: 'user', subject: 'stranger-viewer' },
  });
  expect(bound.statusCode).toBe(201);
  const signedIn = await signIn(t.app, 'stranger-viewer', 'a-long-enough-password');
  viewer = { authorization: `Bearer ${signedIn.accessToken}` };
});
afterAll(() => t.close());

describe('authentication before validation', () => {
  it('answers an anonymous call with a body the schema refuses with 401, not 400', async () => {
    const res = await rawPost('/k8s-api/v1/roles', JSON.stringify({ nonsense: [1, 2, 3] }));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ code: 'Unauthorized', message: 'Sign in first.' });
    expect(res.body).not.toMatch(/rules|name|property/i);
  });

  it('answers an anonymous call with a body that is not even JSON with 401', async () => {
    const res = await rawPost('/k8s-api/v1/rolebindings', '{not json');
    expect(res.status).toBe(401);
  });

  it('answers an anonymous call with a query the schema refuses with 401', async () => {
    const bad = '/k8s-api/v1/audit?limit=many&result=maybe';
    const res = await t.app.inject({ url: bad });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toMatch(/limit|result|querystring/);
    // The same query from an administrator is a 400 that says what to fix.
    expect((await t.app.inject({ url: bad, headers: admin })).statusCode).toBe(400);
  });

  it('answers a person without the permission 403 before validating the body', async () => {
    const res = await rawPost('/k8s-api/v1/roles', JSON.stringify({ nonsense: true }), viewer);
    expect(res.status).toBe(403);
    expect(res.body).not.toMatch(/rules|property/i);
  });

  it('still validates the input of a person who may call the route', async () => {
    const res = await rawPost('/k8s-api/v1/roles', JSON.stringify({ nonsense: true }), admin);
    expect(res.status).toBe(400);
  });
});

describe('WebSocket upgrades', () => {
  it.each([
    ['an unknown path', '/k8s-api/v1/no-such-thing'],
    ['a plain HTTP route of the API', '/k8s-api/v1/me'],
    ['a plain HTTP route registered before the socket plugin', '/healthz'],
    ['a web page', '/'],
  ])('refuses an upgrade to %s with an HTTP status, never 101', async (_what, path) => {
    const status = await rawUpgrade(path);
    expect(status).toMatch(/^HTTP\/1\.1 [45]\d\d /);
    expect(status).not.toContain('101');
  });

  it('refuses an upgrade to a route that is not a socket with 404', async () => {
    const err = await StreamClient.open(`${base.replace(/^http/, 'ws')}/k8s-api/v1/roles`).then(
      () => new Error('upgraded'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RefusedUpgrade);
    expect((err as RefusedUpgrade).status).toBe(404);
  });

  it('refuses an anonymous upgrade to the live socket before the handshake', async () => {
    expect(await rawUpgrade('/k8s-api/v1/live')).toMatch(/^HTTP\/1\.1 401 /);
    expect(await rawUpgrade('/k8s-api/v1/live?ticket=made-up')).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('refuses an anonymous upgrade to a stream socket before the handshake', async () => {
    const status = await rawUpgrade(
      '/k8s-api/v1/clusters/any/namespaces/default/pods/p/exec?command=sh',
    );
    expect(status).toMatch(/^HTTP\/1\.1 401 /);
  });
});
