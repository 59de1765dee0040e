import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signIn, testAdminPassword, testAuthApp, type AuthTestApp } from '../../../test/app.js';
import { authEventName, type AuthEvent } from './types.js';

const login = '/k8s-api/v1/auth/login';
const wrong = { code: 'Unauthorized', message: 'Wrong username or password.' };

async function sessionCount(app: FastifyInstance): Promise<number> {
  return (await app.db.selectFrom('sessions').select('id').execute()).length;
}

function attempt(
  app: FastifyInstance,
  username: string,
  password: string,
  ip = '127.0.0.1',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: login,
    payload: { username, password },
    remoteAddress: ip,
  });
}

describe('local sign-in', () => {
  let t: AuthTestApp;
  const events: AuthEvent[] = [];

  beforeAll(async () => {
    t = await testAuthApp({ BINNACLE_LOGIN_MAX_ATTEMPTS_PER_IP: '1000' });
    t.app.get('/test/whoami', (request) => t.app.requireUser(request));
    await t.app.ready();
    t.app.authEvents.on(authEventName, (event: AuthEvent) => events.push(event));
  });
  afterAll(() => t.close());
  afterEach(() => {
    events.length = 0;
    vi.useRealTimers();
  });

  it('signs the administrator in: an access token, the user, and a strict refresh cookie', async () => {
    const res = await attempt(t.app, ' Admin ', testAdminPassword);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ accessToken: string; expiresIn: number; user: unknown }>();
    expect(body.expiresIn).toBe(600);
    expect(body.accessToken.split('.')).toHaveLength(3);
    expect(body.user).toEqual({
      id: expect.any(String) as unknown,
      username: 'admin',
      displayName: 'Administrator',
      groups: ['binnacle-admins'],
      source: 'local',
      via: 'session',
    });
    expect(res.headers['cache-control']).toBe('no-store');
    const [cookie] = res.cookies;
    expect(res.cookies).toHaveLength(1);
    expect(cookie).toMatchObject({
      name: 'binnacle_refresh',
      path: '/k8s-api/v1/auth',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      maxAge: 7 * 24 * 3600 - 1,
    });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only a digest of the refresh token is stored.
    const rows = await t.app.db.selectFrom('sessions').select('refresh_hash').execute();
    expect(rows.map((r) => r.refresh_hash)).not.toContain(cookie?.value);
    expect(events).toEqual([
      {
        type: 'login',
        username: 'admin',
        userId: (body.user as { id: string }).id,
        ip: '127.0.0.1',
        // The gateway's id of the sign-in request, for the audit record.
        requestId: expect.any(String) as unknown,
      },
    ]);
  });

  it('answers a wrong password and an unknown user alike, and stores no session', async () => {
    const before = await sessionCount(t.app);
    const badPassword = await attempt(t.app, 'admin', 'not-the-password');
    const unknown = await attempt(t.app, 'nobody', testAdminPassword);
    const badName = await attempt(t.app, 'not a valid name!', testAdminPassword);
    for (const res of [badPassword, unknown, badName]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(wrong);
      expect(res.cookies).toEqual([]);
    }
    expect(await sessionCount(t.app)).toBe(before);
    expect(events.map((e) => [e.type, e.username, e.reason])).toEqual([
      ['login-failed', 'admin', 'bad-credentials'],
      ['login-failed', 'nobody', 'bad-credentials'],
      ['login-failed', 'not a valid name!', 'bad-credentials'],
    ]);
    // A successful sign-in clears admin's failures for the lockout.
    await signIn(t.app);
  });

  it('refuses a body without a password with 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: login, payload: { username: 'admin' } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ code: string }>().code).toBe('BadRequest');
  });

  it('answers /me with the caller', async () => {
    const { accessToken, userId } = await signIn(t.app);
    const res = await t.app.inject({
      url: '/k8s-api/v1/me',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: userId,
      username: 'admin',
      displayName: 'Administrator',
      groups: ['binnacle-admins'],
      source: 'local',
      via: 'session',
    });
  });

  it('leaves request.user unset without credentials; requireUser answers 401', async () => {
    const res = await t.app.inject({ url: '/test/whoami' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ code: 'Unauthorized', message: 'Sign in first.' });
  });

  it('refuses a disabled account even with the right password, and stores no session', async () => {
    await t.app.db.transaction().execute(async (trx) => {
      const { insertUser } = await import('./users.js');
      const { hashPassword } = await import('./credentials.js');
      await insertUser(trx, {
        username: 'gone',
        displayName: 'Gone',
        passwordHash: await hashPassword('gone-password-123'),
        source: 'local',
        groups: [],
        now: Date.now(),
      });
    });
    await t.app.db
      .updateTable('users')
      .set({ disabled: 1 })
      .where('username', '=', 'gone')
      .execute();
    const before = await sessionCount(t.app);
    const res = await attempt(t.app, 'gone', 'gone-password-123');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      code: 'Forbidden',
      message: 'This account is disabled; ask an administrator to enable it.',
    });
    expect(await sessionCount(t.app)).toBe(before);
    // With a wrong password it looks like any other wrong password.
    expect((await attempt(t.app, 'gone', 'wrong-password-1')).json()).toEqual(wrong);
  });

  it('answers 429 with Retry-After after 10 attempts per username and address', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await attempt(t.app, 'admin', testAdminPassword, '10.1.0.1')).statusCode).toBe(200);
    }
    const before = await sessionCount(t.app);
    const res = await attempt(t.app, 'admin', testAdminPassword, '10.1.0.1');
    expect(res.statusCode).toBe(429);
    // The window opened with the first of ten sign-ins, a second or so ago on a busy machine.
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(290);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(300);
    expect(res.json()).toEqual({
      code: 'TooManyRequests',
      message: 'Too many sign-in attempts; try again in 5 minutes.',
    });
    expect(await sessionCount(t.app)).toBe(before);
    expect(events.at(-1)).toEqual({
      type: 'login-failed',
      username: 'admin',
      ip: '10.1.0.1',
      reason: 'rate-limited',
      requestId: expect.any(String) as unknown,
    });
    // Another address is not held back.
    expect((await attempt(t.app, 'admin', testAdminPassword, '10.1.0.2')).statusCode).toBe(200);
  });

  it('locks an account at an address after 5 failures in a row there, for 15 minutes', async () => {
    const { hashPassword } = await import('./credentials.js');
    const { insertUser } = await import('./users.js');
    const passwordHash = await hashPassword('target-password-1');
    await t.app.db.transaction().execute((trx) =>
      insertUser(trx, {
        username: 'target',
        displayName: 'Target',
        passwordHash,
        source: 'local',
        groups: [],
        now: Date.now(),
      }),
    );
    for (let i = 1; i <= 5; i++) {
      const res = await attempt(t.app, 'target', `guess-number-${i}`, '10.2.0.99');
      expect(res.statusCode).toBe(401);
    }
    const before = await sessionCount(t.app);
    const locked = await attempt(t.app, 'target', 'target-password-1', '10.2.0.99');
    expect(locked.statusCode).toBe(423);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.json()).toEqual({
      code: 'Locked',
      message: 'This account is locked after too many failed sign-ins; try again in 15 minutes.',
    });
    expect(await sessionCount(t.app)).toBe(before);
    // The owner, from another address, still signs in: a stranger cannot lock them out.
    expect((await attempt(t.app, 'target', 'target-password-1', '10.2.0.7')).statusCode).toBe(200);

    // Unknown names lock the same way, so the answers do not tell which names exist.
    for (let i = 1; i <= 5; i++) await attempt(t.app, 'ghost', `guess-number-${i}`, '10.2.1.1');
    expect((await attempt(t.app, 'ghost', 'anything-at-all', '10.2.1.1')).statusCode).toBe(423);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 15 * 60_000 + 1000);
    expect((await attempt(t.app, 'target', 'target-password-1', '10.2.0.99')).statusCode).toBe(200);
  });

  it('never writes a password, hash or token into the log', async () => {
    const { accessToken, refreshToken } = await signIn(t.app);
    await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/auth/refresh',
      cookies: { binnacle_refresh: refreshToken },
    });
    const logs = t.logs.join('\n');
    const hashes = await t.app.db.selectFrom('users').select('password_hash').execute();
    expect(logs).toContain('signed in');
    for (const secret of [
      testAdminPassword,
      'not-the-password',
      'target-password-1',
      accessToken,
      refreshToken,
      ...hashes.map((h) => h.password_hash ?? 'none'),
    ]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toContain('$argon2id$');
  });
});

describe('the per-address limit', () => {
  let t: AuthTestApp;
  beforeAll(async () => {
    t = await testAuthApp({ BINNACLE_LOGIN_MAX_ATTEMPTS_PER_IP: '3' });
  });
  afterAll(() => t.close());

  it('stops one address trying many usernames', async () => {
    for (const name of ['a1', 'a2', 'a3']) {
      expect((await attempt(t.app, name, 'some-password-1', '10.3.0.1')).statusCode).toBe(401);
    }
    const res = await attempt(t.app, 'a4', 'some-password-1', '10.3.0.1');
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual({
      code: 'TooManyRequests',
      message: 'Too many sign-in attempts; try again in 5 minutes.',
    });
  });
});
