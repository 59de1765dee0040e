// OIDC sign-in against a real oidc-provider on 127.0.0.1, driven like a browser with plain HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.js';

const publicUrl = 'https://binnacle.test';
const callbackUrl = `${publicUrl}/k8s-api/v1/auth/oidc/callback`;
const oidcPrefix = '/k8s-api/v1/auth/oidc';

let server: Server;
let issuer: string;
let gateway: TestApp;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'binnacle',
        client_secret: 'binnacle-test-secret',
        redirect_uris: [callbackUrl],
        post_logout_redirect_uris: [`${publicUrl}/k8s/`],
      },
    ],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    findAccount: (_context, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        preferred_username:
          id === 'anon' || id === 'unverified' ? undefined : `${id.toUpperCase()} `,
        name: 'Ada Lovelace',
        email: `${id}@example.com`,
        email_verified: id !== 'unverified',
        groups: ['dev', 'ops'],
      }),
    }),
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['oidc-test-cookie-key'] },
  });
  server.on('request', provider.callback());
  gateway = await testApp({
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: 'binnacle',
    OIDC_CLIENT_SECRET: 'binnacle-test-secret',
    OIDC_DISPLAY_NAME: 'Test IdP',
    BINNACLE_PUBLIC_URL: publicUrl,
  });
});

afterAll(async () => {
  await gateway.close();
  await new Promise((resolve) => server.close(resolve));
});

/** The provider's cookies, kept across requests like a browser does (one provider, one jar). */
const providerJar = new Map<string, string>();

/**
 * Follows the provider's redirects and submits its dev login and consent forms, until it sends the
 * browser back to the gateway; returns that URL.
 */
async function browseProvider(start: string, login = 'ada'): Promise<URL> {
  let url = new URL(start);
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: {
        cookie: [...providerJar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(body === undefined ? {} : { body: body.toString() }),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      providerJar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    body = undefined;
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location !== null) {
      url = new URL(location, url);
      if (url.origin === publicUrl) return url;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (res.status !== 200 || action === undefined || prompt === undefined) {
      throw new Error(`unexpected provider answer ${String(res.status)}: ${html.slice(0, 300)}`);
    }
    url = new URL(action, url);
    body = new URLSearchParams(
      prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt },
    );
  }
  throw new Error('too many steps at the provider');
}

function cookieOf(res: { cookies: { name: string; value: string }[] }, name: string): string {
  const cookie = res.cookies.find((c) => c.name === name);
  if (cookie === undefined) throw new Error(`no ${name} cookie`);
  return cookie.value;
}

/** Signs in through the provider; answers the gateway's callback response. */
async function signInWithOidc(options: { returnTo: string; login?: string }) {
  const { app } = gateway;
  // Another person: a fresh browser, without the provider's session of the last one.
  if (options.login !== undefined) providerJar.clear();
  const start = await app.inject({
    method: 'GET',
    url: `${oidcPrefix}/login?returnTo=${encodeURIComponent(options.returnTo)}`,
  });
  expect(start.statusCode).toBe(302);
  const authorize = new URL(String(start.headers.location));
  expect(authorize.origin).toBe(issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('redirect_uri')).toBe(callbackUrl);
  expect(authorize.searchParams.get('state')).toBeTruthy();
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  const back = await browseProvider(authorize.href, options.login);
  expect(back.searchParams.get('code')).toBeTruthy();
  return app.inject({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    cookies: { binnacle_oidc_pending: cookieOf(start, 'binnacle_oidc_pending') },
  });
}

describe('OIDC sign-in', () => {
  it('tells the UI which sign-in methods exist', async () => {
    const res = await gateway.app.inject({ method: 'GET', url: '/k8s-api/v1/auth/config' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      local: true,
      oidc: { enabled: true, name: 'Test IdP' },
      host: { enabled: false },
    });
  });

  it('signs in with code + PKCE, creates the user with its groups, and refreshes', async () => {
    const res = await signInWithOidc({ returnTo: '/k8s/clusters/prod?tab=nodes' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/k8s/clusters/prod?tab=nodes');
    expect(String(res.headers.location)).not.toMatch(/token/i);
    const refresh = cookieOf(res, 'binnacle_refresh');
    const idToken = cookieOf(res, 'binnacle_oidc_id');
    expect(idToken).not.toMatch(/^eyJ/); // sealed, not the raw JWT

    const user = await gateway.app.db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'source', 'password_hash'])
      .where('username', '=', 'ada')
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      username: 'ada',
      display_name: 'Ada Lovelace',
      source: 'oidc',
      password_hash: null,
    });

    const renewed = await gateway.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/auth/refresh',
      cookies: { binnacle_refresh: refresh },
    });
    expect(renewed.statusCode).toBe(200);
    const grant = renewed.json<{ accessToken: string; user: Record<string, unknown> }>();
    expect(grant.accessToken).toBeTruthy();
    expect(grant.user).toMatchObject({
      id: user.id,
      username: 'ada',
      source: 'oidc',
      groups: ['dev', 'ops'],
    });
  });

  it('falls back to the e-mail address for the username', async () => {
    const res = await signInWithOidc({ returnTo: '/k8s/', login: 'anon' });
    expect(res.statusCode).toBe(302);
    const row = await gateway.app.db
      .selectFrom('users')
      .select(['source'])
      .where('username', '=', 'anon-example.com')
      .executeTakeFirst();
    expect(row).toEqual({ source: 'oidc' });
  });

  it('refuses an unverified e-mail address as the username', async () => {
    const res = await signInWithOidc({ returnTo: '/k8s/', login: 'unverified' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'Forbidden',
      message: expect.stringContaining('has not verified your e-mail address') as unknown,
    });
    const row = await gateway.app.db
      .selectFrom('users')
      .select(['id'])
      .where('username', 'like', 'unverified%')
      .executeTakeFirst();
    expect(row).toBeUndefined();
    // The next tests sign in as the default person again.
    providerJar.clear();
  });

  it('ignores a returnTo on another origin', async () => {
    const res = await signInWithOidc({ returnTo: '//evil.example' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/k8s/');
  });

  it('refuses a callback whose state does not match the sign-in started here', async () => {
    const start = await gateway.app.inject({ method: 'GET', url: `${oidcPrefix}/login` });
    const res = await gateway.app.inject({
      method: 'GET',
      url: `${oidcPrefix}/callback?code=forged&state=not-the-state`,
      cookies: { binnacle_oidc_pending: cookieOf(start, 'binnacle_oidc_pending') },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BadRequest' });
    expect(res.cookies.find((c) => c.name === 'binnacle_refresh')).toBeUndefined();
    // The failed callback leaves an audit row, with the gateway's request id.
    await gateway.app.audit.flush();
    const rows = await gateway.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'auth.sign-in')
      .where('result', '=', 'failure')
      .execute();
    const details = rows.map((row) => JSON.parse(row.detail ?? '{}') as Record<string, unknown>);
    expect(details).toContainEqual(
      expect.objectContaining({
        method: 'oidc',
        reason: 'sso-refused',
        requestId: res.headers['x-request-id'],
      }),
    );
  });

  it('refuses a callback without the sign-in cookie', async () => {
    const res = await gateway.app.inject({
      method: 'GET',
      url: `${oidcPrefix}/callback?code=forged&state=whatever`,
    });
    expect(res.statusCode).toBe(400);
  });

  it('logs out: revokes the session and redirects to the end-session endpoint', async () => {
    const signedIn = await signInWithOidc({ returnTo: '/k8s/' });
    const refresh = cookieOf(signedIn, 'binnacle_refresh');
    const res = await gateway.app.inject({
      method: 'GET',
      url: `${oidcPrefix}/logout`,
      cookies: {
        binnacle_refresh: refresh,
        binnacle_oidc_id: cookieOf(signedIn, 'binnacle_oidc_id'),
      },
    });
    expect(res.statusCode).toBe(302);
    const target = new URL(String(res.headers.location));
    const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
    const { end_session_endpoint: endSession } = (await discovery.json()) as {
      end_session_endpoint: string;
    };
    expect(`${target.origin}${target.pathname}`).toBe(endSession);
    expect(target.searchParams.get('post_logout_redirect_uri')).toBe(`${publicUrl}/k8s/`);
    expect(target.searchParams.get('id_token_hint')).toMatch(/^eyJ/);

    const renewed = await gateway.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/auth/refresh',
      cookies: { binnacle_refresh: refresh },
    });
    expect(renewed.statusCode).toBe(401);
  });
});
