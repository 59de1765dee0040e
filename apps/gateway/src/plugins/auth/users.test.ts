import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testAuthApp, type AuthTestApp } from '../../../test/app.js';
import { createTestDatabase } from '../../../test/postgres.js';
import { loadAuthConfig } from '../../config/auth.js';
import { loadConfig } from '../../config/index.js';
import db from '../db/index.js';
import errors from '../errors/index.js';
import keyring from '../keyring/index.js';
import auth from './index.js';
import type { RouteRbac } from './types.js';

const api = '/k8s-api/v1';

describe('the routes', () => {
  it('each declare config.rbac for the rbac plugin to enforce', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'binnacle-auth-routes-'));
    const env = {
      BINNACLE_DATA_DIR: dir,
      BINNACLE_KEYS: `test:${randomBytes(32).toString('base64')}`,
      BINNACLE_ADMIN_PASSWORD: 'routes-test-password',
    };
    const config = loadConfig(env);
    const app = Fastify();
    const declared: Record<string, RouteRbac | undefined> = {};
    app.addHook('onRoute', (route) => {
      if (route.method === 'HEAD') return;
      declared[`${[route.method].flat().join(',')} ${route.url}`] = route.config?.rbac;
    });
    await app.register(errors);
    await app.register(db, config.db);
    await app.register(keyring, config.keyring);
    await app.register(auth, loadAuthConfig(env));
    await app.close();
    await rm(dir, { recursive: true, force: true });

    expect(declared).toEqual({
      [`POST ${api}/auth/login`]: { public: true },
      [`POST ${api}/auth/refresh`]: { public: true },
      [`POST ${api}/auth/logout`]: { public: true },
      [`POST ${api}/auth/ticket`]: { authenticated: true },
      [`GET ${api}/me`]: { authenticated: true },
      [`POST ${api}/me/password`]: { authenticated: true },
      [`GET ${api}/tokens`]: { authenticated: true },
      [`POST ${api}/tokens`]: { authenticated: true },
      [`DELETE ${api}/tokens/:id`]: { authenticated: true },
      [`GET ${api}/users`]: { resource: 'users', verb: 'list' },
      [`POST ${api}/users`]: { resource: 'users', verb: 'create' },
      [`PATCH ${api}/users/:id`]: { resource: 'users', verb: 'update' },
    });
  });
});

describe.each(['sqlite', 'postgres'] as const)(
  'user administration and passwords on %s',
  (dialect) => {
    let t: AuthTestApp;
    let stopDatabase: (() => Promise<void>) | undefined;
    let admin: string;
    let adminId: string;

    function call(
      method: 'GET' | 'POST' | 'PATCH',
      url: string,
      options: { token?: string; payload?: unknown; ip?: string } = {},
    ): Promise<LightMyRequestResponse> {
      return t.app.inject({
        method,
        url: `${api}${url}`,
        ...(options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {}),
        ...(options.payload !== undefined ? { payload: options.payload as object } : {}),
        ...(options.ip ? { remoteAddress: options.ip } : {}),
      });
    }

    async function sessionsOf(app: FastifyInstance, userId: string): Promise<(number | null)[]> {
      const rows = await app.db
        .selectFrom('sessions')
        .select('revoked_at')
        .where('user_id', '=', userId)
        .execute();
      return rows.map((r) => r.revoked_at);
    }

    beforeAll(async () => {
      const env: Record<string, string> = { BINNACLE_LOGIN_MAX_ATTEMPTS: '1000' };
      if (dialect === 'postgres') {
        const database = await createTestDatabase();
        stopDatabase = database.stop;
        env.DATABASE_URL = database.url;
      }
      t = await testAuthApp(env);
      ({ accessToken: admin, userId: adminId } = await signIn(t.app));
    }, 180_000);
    afterAll(async () => {
      await t.close();
      await stopDatabase?.();
    });

    it('creates a local user with groups; the password is hashed, never returned', async () => {
      const res = await call('POST', '/users', {
        token: admin,
        payload: {
          username: ' Grace.Hopper ',
          password: 'cobol-forever-1959',
          displayName: 'Grace Hopper',
          groups: ['dev', 'ops', 'dev', ' '],
        },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({
        id: expect.any(String) as unknown,
        username: 'grace.hopper',
        displayName: 'Grace Hopper',
        source: 'local',
        disabled: false,
        groups: ['dev', 'ops'],
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      });
      expect(res.body).not.toContain('cobol-forever-1959');
      expect(res.body).not.toContain('argon2');
      const { password_hash: hash } = await t.app.db
        .selectFrom('users')
        .select('password_hash')
        .where('username', '=', 'grace.hopper')
        .executeTakeFirstOrThrow();
      expect(hash).toMatch(/^\$argon2id\$/);
      const session = await signIn(t.app, 'grace.hopper', 'cobol-forever-1959');
      const me = await call('GET', '/me', { token: session.accessToken });
      expect(me.json()).toMatchObject({ username: 'grace.hopper', groups: ['dev', 'ops'] });
    });

    it.each([
      [
        { username: 'Not Valid', password: 'long-enough-password' },
        'A username is 1 to 63 characters: lower-case letters, digits, ".", "_" and "-", starting with a letter or digit.',
      ],
      [{ username: 'shorty', password: 'too-short' }, 'A password needs at least 12 characters.'],
      [
        { username: 'samename1234', password: 'SameName1234' },
        'A password must not be the username.',
      ],
    ])('refuses to create %o', async (payload, message) => {
      const before = (await t.app.db.selectFrom('users').select('id').execute()).length;
      const res = await call('POST', '/users', { token: admin, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: 'BadRequest', message });
      expect((await t.app.db.selectFrom('users').select('id').execute()).length).toBe(before);
    });

    it('refuses a second user with a taken name', async () => {
      const res = await call('POST', '/users', {
        token: admin,
        payload: { username: 'ADMIN', password: 'another-password-1' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({
        code: 'Conflict',
        message: 'A user named "admin" already exists.',
      });
    });

    it('lists users with their groups, without secrets', async () => {
      const res = await call('GET', '/users', { token: admin });
      expect(res.statusCode).toBe(200);
      const { items } = res.json<{ items: { username: string; groups: string[] }[] }>();
      expect(items.map((u) => [u.username, u.groups])).toEqual([
        ['admin', ['binnacle-admins']],
        ['grace.hopper', ['dev', 'ops']],
      ]);
      expect(res.body).not.toMatch(/password|argon2/i);
    });

    it('changes display name and groups, and answers 404 for an unknown id', async () => {
      const { id } = (await call('GET', '/users', { token: admin }))
        .json<{ items: { id: string; username: string }[] }>()
        .items.find((u) => u.username === 'grace.hopper') ?? { id: '' };
      const res = await call('PATCH', `/users/${id}`, {
        token: admin,
        payload: { displayName: 'Rear Admiral Hopper', groups: ['ops', 'navy'] },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        displayName: 'Rear Admiral Hopper',
        groups: ['navy', 'ops'],
      });
      const missing = await call('PATCH', '/users/no-such-id', {
        token: admin,
        payload: { displayName: 'x' },
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ code: 'NotFound', message: 'There is no such user.' });
      const empty = await call('PATCH', `/users/${id}`, { token: admin, payload: {} });
      expect(empty.statusCode).toBe(400);
    });

    it('does not let administrators disable themselves', async () => {
      const res = await call('PATCH', `/users/${adminId}`, {
        token: admin,
        payload: { disabled: true },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({
        code: 'Conflict',
        message: 'You cannot disable your own account; ask another administrator.',
      });
      expect((await call('GET', '/me', { token: admin })).statusCode).toBe(200);
    });

    it('requires a signed-in caller for user administration', async () => {
      const res = await call('GET', '/users');
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 'Unauthorized', message: 'Sign in first.' });
    });

    describe('POST /me/password', () => {
      let user: { accessToken: string; refreshToken: string; userId: string };
      let other: { accessToken: string; refreshToken: string; userId: string };

      beforeAll(async () => {
        await call('POST', '/users', {
          token: admin,
          payload: { username: 'linus', password: 'first-password-1' },
        });
        user = await signIn(t.app, 'linus', 'first-password-1');
        other = await signIn(t.app, 'linus', 'first-password-1');
      });

      it.each([
        [
          { current: 'wrong-password-1', next: 'second-password-2' },
          'The current password is wrong.',
        ],
        [
          { current: 'first-password-1', next: 'short' },
          'A password needs at least 12 characters.',
        ],
        [
          { current: 'first-password-1', next: 'first-password-1' },
          'The new password must differ from the current one.',
        ],
      ])('refuses %o', async (payload, message) => {
        const res = await call('POST', '/me/password', { token: user.accessToken, payload });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ code: 'BadRequest', message });
        expect(await sessionsOf(t.app, user.userId)).toEqual([null, null]);
      });

      it('refuses a password equal to the username', async () => {
        await call('POST', '/users', {
          token: admin,
          payload: { username: 'margaret.h', password: 'apollo-guidance-11' },
        });
        const session = await signIn(t.app, 'margaret.h', 'apollo-guidance-11');
        const res = await call('POST', '/me/password', {
          token: session.accessToken,
          payload: { current: 'apollo-guidance-11', next: 'Margaret.H' },
        });
        expect(res.json()).toEqual({
          code: 'BadRequest',
          message: 'A password needs at least 12 characters.',
        });
        await call('POST', '/users', {
          token: admin,
          payload: { username: 'katherine.johnson', password: 'orbital-mechanics' },
        });
        const kj = await signIn(t.app, 'katherine.johnson', 'orbital-mechanics');
        const same = await call('POST', '/me/password', {
          token: kj.accessToken,
          payload: { current: 'orbital-mechanics', next: 'Katherine.Johnson' },
        });
        expect(same.json()).toEqual({
          code: 'BadRequest',
          message: 'A password must not be the username.',
        });
      });

      it('changes it, keeps this session and ends the others', async () => {
        const res = await call('POST', '/me/password', {
          token: user.accessToken,
          payload: { current: 'first-password-1', next: 'second-password-2' },
        });
        expect(res.statusCode).toBe(204);
        const wrongNow = await call('POST', '/auth/login', {
          payload: { username: 'linus', password: 'first-password-1' },
        });
        expect(wrongNow.statusCode).toBe(401);
        await signIn(t.app, 'linus', 'second-password-2');
        expect((await call('GET', '/me', { token: user.accessToken })).statusCode).toBe(200);
        const ended = await call('GET', '/me', { token: other.accessToken });
        expect(ended.json()).toEqual({
          code: 'Unauthorized',
          message: 'Your session has ended; sign in again.',
        });
      });

      it('counts wrong current passwords toward the lockout', async () => {
        await call('POST', '/users', {
          token: admin,
          payload: { username: 'mallory', password: 'mallory-password-1' },
        });
        const session = await signIn(t.app, 'mallory', 'mallory-password-1');
        for (let i = 0; i < 5; i++) {
          await call('POST', '/me/password', {
            token: session.accessToken,
            payload: { current: `guess-${i}-guess-guess`, next: 'whatever-password-9' },
          });
        }
        const res = await call('POST', '/auth/login', {
          payload: { username: 'mallory', password: 'mallory-password-1' },
        });
        expect(res.statusCode).toBe(423);
      });
    });
  },
);
