// Host-portal sign-in with tokens signed by keys published on a local JWKS endpoint.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.js';

const issuer = 'https://portal.example';
const audience = 'binnacle';
const url = '/k8s-api/v1/auth/host';

let server: Server;
let gateway: TestApp;
let hostKey: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const host = await generateKeyPair('ES256');
  hostKey = host.privateKey;
  strangerKey = (await generateKeyPair('ES256')).privateKey;
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(host.publicKey)), kid: 'host-1', alg: 'ES256', use: 'sig' }],
  });
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  gateway = await testApp({
    HOST_SSO_ISSUER: issuer,
    HOST_SSO_AUDIENCE: audience,
    HOST_SSO_JWKS_URL: `http://127.0.0.1:${String(port)}/jwks.json`,
  });
});

afterAll(async () => {
  await gateway.close();
  await new Promise((resolve) => server.close(resolve));
});

function token(
  options: { iss?: string; aud?: string; exp?: string | number; key?: CryptoKey } = {},
): Promise<string> {
  return new SignJWT({ preferred_username: 'Grace', name: 'Grace Hopper', groups: ['navy', 'dev'] })
    .setProtectedHeader({ alg: 'ES256', kid: 'host-1' })
    .setSubject('user-42')
    .setIssuer(options.iss ?? issuer)
    .setAudience(options.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m')
    .sign(options.key ?? hostKey);
}

describe('host SSO', () => {
  it('signs in with a valid token: a session for a host user with its groups', async () => {
    const res = await gateway.app.inject({
      method: 'POST',
      url,
      payload: { token: await token() },
    });
    expect(res.statusCode).toBe(200);
    const grant = res.json<{ accessToken: string; expiresIn: number; user: unknown }>();
    expect(grant.accessToken).toBeTruthy();
    expect(grant.expiresIn).toBeGreaterThan(0);
    expect(grant.user).toMatchObject({
      username: 'grace',
      displayName: 'Grace Hopper',
      source: 'host',
      groups: ['dev', 'navy'],
    });
    const refresh = res.cookies.find((c) => c.name === 'binnacle_refresh');
    expect(refresh?.httpOnly).toBe(true);

    const renewed = await gateway.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/auth/refresh',
      cookies: { binnacle_refresh: refresh?.value ?? '' },
    });
    expect(renewed.statusCode).toBe(200);
  });

  it.each([
    ['another audience', { aud: 'someone-else' }, /audience/],
    ['another issuer', { iss: 'https://evil.example' }, /issuer/],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 3600 }, /expired/],
  ])('refuses %s with 401', async (_name, options, message) => {
    const res = await gateway.app.inject({
      method: 'POST',
      url,
      payload: { token: await token(options) },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'Unauthorized', message });
  });

  it('refuses a token signed by another key with 401', async () => {
    const res = await gateway.app.inject({
      method: 'POST',
      url,
      payload: { token: await token({ key: strangerKey }) },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'Unauthorized', message: /signature/ });
  });

  it('refuses something that is not a token with 401', async () => {
    const res = await gateway.app.inject({ method: 'POST', url, payload: { token: 'nope' } });
    expect(res.statusCode).toBe(401);
  });

  it('answers 404 when host sign-in is not configured', async () => {
    const plain = await testApp();
    try {
      const res = await plain.app.inject({ method: 'POST', url, payload: { token: 'x' } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ code: 'NotFound', message: 'Host sign-in is not configured.' });
      const methods = await plain.app.inject({ method: 'GET', url: '/k8s-api/v1/auth/config' });
      expect(methods.json()).toEqual({
        local: true,
        oidc: { enabled: false },
        host: { enabled: false },
      });
      const oidc = await plain.app.inject({ method: 'GET', url: '/k8s-api/v1/auth/oidc/login' });
      expect(oidc.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
