import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signIn, testAuthApp, type AuthTestApp } from '../../../test/app.js';
import { createTestDatabase } from '../../../test/postgres.js';

const api = '/k8s-api/v1';
const ended = { code: 'Unauthorized', message: 'Your session has ended; sign in again.' };

function refresh(app: FastifyInstance, token: string): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `${api}/auth/refresh`,
    cookies: { binnacle_refresh: token },
  });
}

function me(app: FastifyInstance, token: string): Promise<LightMyRequestResponse> {
  return app.inject({ url: `${api}/me`, headers: { authorization: `Bearer ${token}` } });
}

async function count(app: FastifyInstance, table: 'sessions' | 'access_tokens'): Promise<number> {
  return (await app.db.selectFrom(table).select('id').execute()).length;
}

function later(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
}

describe.each(['sqlite', 'postgres'] as const)('personal access tokens on %s', (dialect) => {
  let t: AuthTestApp;
  let stopDatabase: (() => Promise<void>) | undefined;

  async function createUser(username: string): Promise<string> {
    const admin = await signIn(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: `${api}/users`,
      headers: { authorization: `Bearer ${admin.accessToken}` },
      payload: { username, password: `${username}-password-123` },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  }

  beforeAll(async () => {
    const env: Record<string, string> = {
      BINNACLE_LOGIN_MAX_ATTEMPTS: '1000',
      BINNACLE_LOGIN_MAX_ATTEMPTS_PER_IP: '1000',
    };
    if (dialect === 'postgres') {
      const database = await createTestDatabase();
      stopDatabase = database.stop;
      env.DATABASE_URL = database.url;
    }
    t = await testAuthApp(env);
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await stopDatabase?.();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function create(
    accessToken: string,
    payload: object = { name: 'kubectl', expiresInDays: 30 },
  ): Promise<LightMyRequestResponse> {
    return t.app.inject({
      method: 'POST',
      url: `${api}/tokens`,
      headers: { authorization: `Bearer ${accessToken}` },
      payload,
    });
  }

  it('are shown once, stored as a digest, and identify their user', async () => {
    const session = await signIn(t.app);
    const res = await create(session.accessToken);
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const created = res.json<{ id: string; token: string; expiresAt: string }>();
    expect(created.token).toMatch(/^bnl_pat_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(29.9 * 86_400_000);

    const row = await t.app.db
      .selectFrom('access_tokens')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
    expect(row.last_used_at).toBeNull();

    const used = await me(t.app, created.token);
    expect(used.statusCode).toBe(200);
    expect(used.json()).toMatchObject({ id: session.userId, username: 'admin', via: 'token' });

    const list = await t.app.inject({
      url: `${api}/tokens`,
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    const items = list.json<{ items: Record<string, unknown>[] }>().items;
    const listed = items.find((i) => i.id === created.id);
    expect(listed).toMatchObject({ name: 'kubectl', expired: false });
    expect(listed?.lastUsedAt).toEqual(expect.any(String));
    expect(JSON.stringify(items)).not.toContain(created.token);
  });

  it('note their last use at most once a minute', async () => {
    const { token, id } = (await create((await signIn(t.app)).accessToken)).json<{
      token: string;
      id: string;
    }>();
    const lastUsed = async (): Promise<number | null> =>
      (
        await t.app.db
          .selectFrom('access_tokens')
          .select('last_used_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    await me(t.app, token);
    const first = await lastUsed();
    expect(first).toEqual(expect.any(Number));
    later(30_000);
    await me(t.app, token);
    expect(await lastUsed()).toBe(first);
    vi.setSystemTime((first ?? 0) + 61_000);
    await me(t.app, token);
    expect(await lastUsed()).toBe((first ?? 0) + 61_000);
  });

  it('stop working when revoked', async () => {
    const session = await signIn(t.app);
    const { token, id } = (await create(session.accessToken)).json<{
      token: string;
      id: string;
    }>();
    const del = (): Promise<LightMyRequestResponse> =>
      t.app.inject({
        method: 'DELETE',
        url: `${api}/tokens/${id}`,
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
    expect((await del()).statusCode).toBe(204);
    const res = await me(t.app, token);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      code: 'Unauthorized',
      message: 'This personal access token was revoked; create a new one.',
    });
    const again = await del();
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({
      code: 'NotFound',
      message: 'You have no such personal access token.',
    });
  });

  it('stop working when they expire', async () => {
    const payload = { name: 'short', expiresInDays: 1 };
    const { token } = (await create((await signIn(t.app)).accessToken, payload)).json<{
      token: string;
    }>();
    expect((await me(t.app, token)).statusCode).toBe(200);
    later(86_400_000 + 1000);
    const res = await me(t.app, token);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      code: 'Unauthorized',
      message: 'This personal access token has expired; create a new one.',
    });
  });

  it('refuse an unknown token, and a token that tries to make another', async () => {
    const before = await count(t.app, 'access_tokens');
    const unknown = await create(`bnl_pat_${'x'.repeat(43)}`);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual({
      code: 'Unauthorized',
      message: 'This personal access token is not valid.',
    });
    const { token } = (await create((await signIn(t.app)).accessToken)).json<{ token: string }>();
    const chained = await create(token);
    expect(chained.statusCode).toBe(403);
    expect(chained.json()).toEqual({
      code: 'Forbidden',
      message: 'Create personal access tokens from a signed-in session, not with another token.',
    });
    expect(await count(t.app, 'access_tokens')).toBe(before + 1);
  });

  it.each([0, 366, 1.5])('refuse a lifetime of %s days', async (expiresInDays) => {
    const res = await create((await signIn(t.app)).accessToken, { name: 'x', expiresInDays });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ code: string }>().code).toBe('BadRequest');
  });

  it('end, with the sessions, when their user is disabled', async () => {
    const id = await createUser('tess');
    const session = await signIn(t.app, 'tess', 'tess-password-123');
    const { token } = (await create(session.accessToken)).json<{ token: string }>();
    const admin = await signIn(t.app);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `${api}/users/${id}`,
      headers: { authorization: `Bearer ${admin.accessToken}` },
      payload: { disabled: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, disabled: true });
    expect((await me(t.app, token)).statusCode).toBe(401);
    expect((await me(t.app, session.accessToken)).json()).toEqual(ended);
    expect((await refresh(t.app, session.refreshToken)).json()).toEqual(ended);
    // Enabling again brings none of them back.
    await t.app.inject({
      method: 'PATCH',
      url: `${api}/users/${id}`,
      headers: { authorization: `Bearer ${admin.accessToken}` },
      payload: { disabled: false },
    });
    expect((await me(t.app, token)).statusCode).toBe(401);
    expect((await refresh(t.app, session.refreshToken)).statusCode).toBe(401);
  });
});
