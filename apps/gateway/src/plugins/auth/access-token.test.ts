import {
  decodeJwt,
  decodeProtectedHeader,
  exportSPKI,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testAuthApp, type AuthTestApp } from '../../../test/app.js';
import { signingKeySetting } from './signing.js';

const invalid = { code: 'Unauthorized', message: 'This access token is not valid; sign in again.' };
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  let t: AuthTestApp;
  let good: string;
  let kid: string;
  let realKey: CryptoKey;
  let publicJwk: JWK;
  let claims: JWTPayload;

  /** Signs `payload` (merged over a valid token's claims) with the gateway's real key. */
  function signReal(
    payload: JWTPayload = {},
    header: Record<string, unknown> = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, iat: now, exp: now + 600, ...payload })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt', ...header })
      .sign(realKey);
  }

  /** Tries to create a personal access token with `authorization`; nothing may be written. */
  async function refused(authorization: string): Promise<{ status: number; body: unknown }> {
    const count = async (table: 'sessions' | 'access_tokens'): Promise<number> =>
      (await t.app.db.selectFrom(table).select('id').execute()).length;
    const before = [await count('sessions'), await count('access_tokens')];
    const res = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/tokens',
      headers: { authorization },
      payload: { name: 'should not exist', expiresInDays: 1 },
    });
    expect([await count('sessions'), await count('access_tokens')]).toEqual(before);
    return { status: res.statusCode, body: res.json() };
  }

  beforeAll(async () => {
    t = await testAuthApp();
    good = (await signIn(t.app)).accessToken;
    claims = decodeJwt(good);
    const { value } = await t.app.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', signingKeySetting)
      .executeTakeFirstOrThrow();
    const stored = JSON.parse(value) as { kid: string; sealed: string };
    kid = stored.kid;
    const jwk = JSON.parse(
      t.app.keyring.open(stored.sealed, { aad: signingKeySetting }).toString('utf8'),
    ) as JWK;
    realKey = (await importJWK(jwk, 'ES256')) as CryptoKey;
    publicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  });
  afterAll(() => t.close());

  it('are ES256 JWTs with a key id, issuer, audience, and the caller in the claims', () => {
    expect(decodeProtectedHeader(good)).toEqual({ alg: 'ES256', kid, typ: 'at+jwt' });
    expect(claims).toEqual({
      sub: expect.any(String) as unknown,
      preferred_username: 'admin',
      name: 'Administrator',
      groups: ['binnacle-admins'],
      src: 'local',
      sid: expect.any(String) as unknown,
      gen: 0,
      iss: 'binnacle',
      aud: 'binnacle',
      iat: expect.any(Number) as unknown,
      exp: (claims.iat ?? 0) + 600,
    });
  });

  it('keep the signing key sealed in settings', async () => {
    const { value } = await t.app.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', signingKeySetting)
      .executeTakeFirstOrThrow();
    expect(value).not.toContain('"d"');
    expect(value).toMatch(/"sealed":"v1:test:/);
    // Sealed for this setting: under another record id it does not open.
    const { sealed } = JSON.parse(value) as { sealed: string };
    expect(() => t.app.keyring.open(sealed, { aad: 'another-setting' })).toThrow();
  });

  it('a token signed with the real key and current claims passes (the control)', async () => {
    const res = await t.app.inject({
      url: '/k8s-api/v1/me',
      headers: { authorization: `Bearer ${await signReal()}` },
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses an expired token, saying so', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await signReal({ iat: now - 700, exp: now - 100 });
    expect(await refused(`Bearer ${expired}`)).toEqual({
      status: 401,
      body: {
        code: 'Unauthorized',
        message: 'Your access token has expired; refresh it or sign in again.',
      },
    });
  });

  it('refuses a token signed with another key under our key id', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ ...claims, iat: now, exp: now + 600 })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .sign(privateKey);
    expect(await refused(`Bearer ${forged}`)).toEqual({ status: 401, body: invalid });
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'none', kid, typ: 'at+jwt' };
    const unsigned = `${b64(header)}.${b64({ ...claims, iat: now, exp: now + 600 })}.`;
    expect(await refused(`Bearer ${unsigned}`)).toEqual({ status: 401, body: invalid });
  });

  it('refuses HS256 tokens keyed with the public key (PEM or JWK bytes)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const publicKey = (await importJWK(publicJwk, 'ES256')) as CryptoKey;
    for (const secret of [await exportSPKI(publicKey), JSON.stringify(publicJwk)]) {
      const confused = await new SignJWT({ ...claims, iat: now, exp: now + 600 })
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
        .sign(new TextEncoder().encode(secret));
      expect(await refused(`Bearer ${confused}`)).toEqual({ status: 401, body: invalid });
    }
  });

  it.each([
    ['another issuer', { iss: 'someone-else' }, {}],
    ['another audience', { aud: 'another-app' }, {}],
    ['no audience', { aud: undefined }, {}],
    ['another key id', {}, { kid: 'not-our-key' }],
    ['no key id', {}, { kid: undefined }],
    ['another token type', {}, { typ: 'JWT' }],
    ['groups of the wrong shape', { groups: 'binnacle-admins' }, {}],
    ['an unknown source', { src: 'ldap' }, {}],
    ['no session id', { sid: undefined }, {}],
  ])('refuses a token with %s, signed with the real key', async (_what, payload, header) => {
    const token = await signReal(payload, header);
    expect(await refused(`Bearer ${token}`)).toEqual({ status: 401, body: invalid });
  });

  it.each([
    ['not a JWT', 'abc'],
    ['three empty parts', '..'],
    ['garbage parts', 'a.b.c'],
    [
      'a JWT with an altered payload',
      () => good.replace(/\.[^.]+\./, `.${b64({ ...claims, groups: ['root'] })}.`),
    ],
    ['a JWT with a cut signature', () => good.slice(0, -10)],
  ])('refuses a malformed token: %s', async (_what, token) => {
    const value = typeof token === 'function' ? token() : token;
    expect(await refused(`Bearer ${value}`)).toEqual({ status: 401, body: invalid });
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const expected = {
      status: 401,
      body: { code: 'Unauthorized', message: 'Send the token as "Authorization: Bearer <token>".' },
    };
    expect(await refused('Basic YWRtaW46YWRtaW4=')).toEqual(expected);
    expect(await refused('Bearer')).toEqual(expected);
    expect(await refused(`Bearer ${good} extra`)).toEqual(expected);
  });

  it('refuses the token of a session that was signed out', async () => {
    const session = await signIn(t.app);
    const logout = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/auth/logout',
      cookies: { binnacle_refresh: session.refreshToken },
    });
    expect(logout.statusCode).toBe(204);
    expect(await refused(`Bearer ${session.accessToken}`)).toEqual({
      status: 401,
      body: { code: 'Unauthorized', message: 'Your session has ended; sign in again.' },
    });
  });

  it('ignores a stale token on the public routes, so a client can still sign in', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/auth/login',
      headers: { authorization: 'Bearer not-a-token' },
      payload: { username: 'admin', password: 'test-admin-password-0123' },
    });
    expect(res.statusCode).toBe(200);
  });
});
