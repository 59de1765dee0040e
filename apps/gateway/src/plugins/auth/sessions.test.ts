import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signIn, testAuthApp, type AuthTestApp } from '../../../test/app.js';
import { createTestDatabase } from '../../../test/postgres.js';
import { authEventName, type AuthEvent } from './types.js';

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

function refreshCookieOf(res: LightMyRequestResponse): { value: string; maxAge?: number } {
  const cookie = res.cookies.find((c) => c.name === 'binnacle_refresh');
  if (cookie === undefined) throw new Error('no refresh cookie');
  return cookie;
}

async function count(app: FastifyInstance, table: 'sessions' | 'access_tokens'): Promise<number> {
  return (await app.db.selectFrom(table).select('id').execute()).length;
}

function later(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
}

describe.each(['sqlite', 'postgres'] as const)('sessions and tickets on %s', (dialect) => {
  let t: AuthTestApp;
  let stopDatabase: (() => Promise<void>) | undefined;
  const events: AuthEvent[] = [];

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
      BINNACLE_ALLOWED_ORIGINS: 'https://portal.example.com',
      BINNACLE_LOGIN_MAX_ATTEMPTS: '1000',
      BINNACLE_LOGIN_MAX_ATTEMPTS_PER_IP: '1000',
    };
    if (dialect === 'postgres') {
      const database = await createTestDatabase();
      stopDatabase = database.stop;
      env.DATABASE_URL = database.url;
    }
    t = await testAuthApp(env);
    // Stands in for a WebSocket route: Origin first, then the ticket.
    t.app.get<{ Querystring: { ticket?: string } }>('/test/socket', (request, reply) => {
      if (!t.app.checkOrigin(request)) return reply.status(403).send({ refused: 'origin' });
      const user = t.app.consumeTicket(request.query.ticket ?? '');
      if (user === undefined) return reply.status(401).send({ refused: 'ticket' });
      return user;
    });
    await t.app.ready();
    t.app.authEvents.on(authEventName, (event: AuthEvent) => events.push(event));
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await stopDatabase?.();
  });
  afterEach(() => {
    vi.useRealTimers();
    events.length = 0;
  });

  describe('refresh', () => {
    it('rotates the refresh token and issues a working access token', async () => {
      const session = await signIn(t.app);
      const res = await refresh(t.app, session.refreshToken);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ accessToken: string; expiresIn: number; user: { id: string } }>();
      expect(body.expiresIn).toBe(600);
      expect(body.user.id).toBe(session.userId);
      const next = refreshCookieOf(res).value;
      expect(next).not.toBe(session.refreshToken);
      expect((await me(t.app, body.accessToken)).statusCode).toBe(200);
      // Both rows of the family, the first spent; the store holds digests only.
      const digest = (v: string): string => createHash('sha256').update(v).digest('hex');
      const rows = await t.app.db
        .selectFrom('sessions')
        .select(['family_id', 'refresh_hash', 'revoked_at'])
        .where('refresh_hash', 'in', [digest(session.refreshToken), digest(next)])
        .execute();
      expect(rows).toHaveLength(2);
      expect(new Set(rows.map((r) => r.family_id)).size).toBe(1);
      const spent = rows.find((r) => r.refresh_hash === digest(session.refreshToken));
      expect(spent?.revoked_at).toEqual(expect.any(Number));
      expect(rows.find((r) => r.refresh_hash === digest(next))?.revoked_at).toBeNull();
    });

    it('treats a spent refresh token as theft: 401, and the whole family ends', async () => {
      const session = await signIn(t.app);
      const rotated = await refresh(t.app, session.refreshToken);
      const newest = refreshCookieOf(rotated).value;
      const newestAccess = rotated.json<{ accessToken: string }>().accessToken;
      events.length = 0;

      const before = await count(t.app, 'sessions');
      const replay = await refresh(t.app, session.refreshToken);
      expect(replay.statusCode).toBe(401);
      expect(replay.json()).toEqual({
        code: 'Unauthorized',
        message: 'This session was ended because its refresh token was used twice; sign in again.',
      });
      expect(refreshCookieOf(replay).value).toBe('');
      expect(await count(t.app, 'sessions')).toBe(before);
      expect(events).toEqual([
        {
          type: 'refresh-reuse',
          username: 'admin',
          userId: session.userId,
          ip: '127.0.0.1',
          requestId: expect.any(String) as unknown,
        },
      ]);

      // The newest refresh token and its access token stop working too.
      const after = await refresh(t.app, newest);
      expect(after.statusCode).toBe(401);
      expect(after.json()).toEqual(ended);
      expect((await me(t.app, newestAccess)).json()).toEqual(ended);
      expect(await count(t.app, 'sessions')).toBe(before);
    });

    it('lets only one of two concurrent refreshes with the same token win', async () => {
      const session = await signIn(t.app);
      const results = await Promise.all([
        refresh(t.app, session.refreshToken),
        refresh(t.app, session.refreshToken),
      ]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 401]);
      // The loser's replay ended the family, the winner's new token included.
      const winner = results.find((r) => r.statusCode === 200);
      expect(
        (await refresh(t.app, refreshCookieOf(winner as LightMyRequestResponse).value)).statusCode,
      ).toBe(401);
    });

    it('ends with sign-out: refresh and the access token answer 401', async () => {
      const session = await signIn(t.app);
      const out = await t.app.inject({
        method: 'POST',
        url: `${api}/auth/logout`,
        cookies: { binnacle_refresh: session.refreshToken },
      });
      expect(out.statusCode).toBe(204);
      expect(refreshCookieOf(out).value).toBe('');
      expect(events).toContainEqual({
        type: 'logout',
        username: 'admin',
        userId: session.userId,
        ip: '127.0.0.1',
        requestId: expect.any(String) as unknown,
      });
      const before = await count(t.app, 'sessions');
      const res = await refresh(t.app, session.refreshToken);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(ended);
      expect((await me(t.app, session.accessToken)).json()).toEqual(ended);
      expect(await count(t.app, 'sessions')).toBe(before);
      // No refresh-reuse alarm for a token that was merely signed out.
      expect(events.filter((e) => e.type === 'refresh-reuse')).toEqual([]);
    });

    it('signs out without a session too, and refuses a refresh without a cookie', async () => {
      const out = await t.app.inject({ method: 'POST', url: `${api}/auth/logout` });
      expect(out.statusCode).toBe(204);
      const res = await t.app.inject({ method: 'POST', url: `${api}/auth/refresh` });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        code: 'Unauthorized',
        message: 'Sign in first: there is no session to refresh.',
      });
      const unknown = await refresh(t.app, 'a'.repeat(43));
      expect(unknown.json()).toEqual(ended);
    });

    it('refuses to refresh for a disabled user, and ends the family', async () => {
      const id = await createUser('dora');
      const session = await signIn(t.app, 'dora', 'dora-password-123');
      // Disabled behind the API's back: the refresh itself notices.
      await t.app.db.updateTable('users').set({ disabled: 1 }).where('id', '=', id).execute();
      const res = await refresh(t.app, session.refreshToken);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(ended);
      expect((await me(t.app, session.accessToken)).json()).toEqual(ended);
      await t.app.db.updateTable('users').set({ disabled: 0 }).where('id', '=', id).execute();
      expect((await refresh(t.app, session.refreshToken)).json()).toEqual(ended);
    });

    it('ends a session idle for longer than a week', async () => {
      const session = await signIn(t.app);
      later(7 * 24 * 3600_000 + 1000);
      const res = await refresh(t.app, session.refreshToken);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(ended);
    });
  });

  describe('WebSocket tickets', () => {
    async function ticket(accessToken: string): Promise<string> {
      const res = await t.app.inject({
        method: 'POST',
        url: `${api}/auth/ticket`,
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json<{ ticket: string; expiresIn: number }>();
      expect(body.expiresIn).toBe(30);
      return body.ticket;
    }

    it('are issued only to a signed-in person', async () => {
      const res = await t.app.inject({ method: 'POST', url: `${api}/auth/ticket` });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 'Unauthorized', message: 'Sign in first.' });
    });

    it('work once, for the user they were issued to', async () => {
      const session = await signIn(t.app);
      const value = await ticket(session.accessToken);
      const first = await t.app.inject({ url: `/test/socket?ticket=${value}` });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ id: session.userId, username: 'admin' });
      const reused = await t.app.inject({ url: `/test/socket?ticket=${value}` });
      expect(reused.statusCode).toBe(401);
      expect(reused.json()).toEqual({ refused: 'ticket' });
    });

    it('expire after 30 seconds', async () => {
      const value = await ticket((await signIn(t.app)).accessToken);
      later(30_001);
      const res = await t.app.inject({ url: `/test/socket?ticket=${value}` });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ refused: 'ticket' });
    });

    it('open only from our own origin or an allowed one', async () => {
      const session = await signIn(t.app);
      const foreign = await t.app.inject({
        url: `/test/socket?ticket=${await ticket(session.accessToken)}`,
        headers: { origin: 'https://evil.example' },
      });
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json()).toEqual({ refused: 'origin' });
      for (const origin of ['https://portal.example.com', 'http://localhost']) {
        const res = await t.app.inject({
          url: `/test/socket?ticket=${await ticket(session.accessToken)}`,
          headers: { origin },
        });
        expect(res.statusCode).toBe(200);
      }
    });
  });
});
