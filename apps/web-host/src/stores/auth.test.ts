import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionGrant } from '../api/auth';
import { useAuthStore } from './auth';

const user = {
  id: 'u1',
  username: 'admin',
  displayName: 'Administrator',
  groups: ['binnacle:admins'],
  source: 'local',
  via: 'session',
} as const;

function grant(token: string, expiresIn = 600): SessionGrant {
  return { accessToken: token, expiresIn, user: { ...user, groups: [...user.groups] } };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Answers each call with the next queued response; records what was asked. */
function fakeGateway(...answers: (() => Response)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn((url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (next === undefined) throw new Error(`unexpected request ${url}`);
    return Promise.resolve(next());
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

describe('useAuthStore', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('signs in with the credentials and keeps the token in memory', async () => {
    const calls = fakeGateway(() => json(200, grant('access-1')));
    const auth = useAuthStore();
    await auth.login({ username: 'admin', password: 'secret-password' });

    expect(calls[0]?.url).toBe('/k8s-api/v1/auth/login');
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.credentials).toBe('same-origin');
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({
      username: 'admin',
      password: 'secret-password',
    });
    expect(auth.status).toBe('signed-in');
    expect(auth.user?.username).toBe('admin');
    await expect(auth.getToken()).resolves.toBe('access-1');
    // not part of the store's state
    expect(JSON.stringify(auth.$state)).not.toContain('access-1');
    expect(localStorage.length).toBe(0);
  });

  it('reports the gateway message of a refused sign-in and stays signed out', async () => {
    fakeGateway(() => json(401, { code: 'Unauthorized', message: 'Wrong username or password.' }));
    const auth = useAuthStore();
    await expect(auth.login({ username: 'admin', password: 'nope' })).rejects.toThrow(
      'Wrong username or password.',
    );
    expect(auth.signedIn).toBe(false);
    await expect(auth.getToken()).resolves.toBeUndefined();
  });

  it('resumes a session with the refresh cookie on load', async () => {
    const calls = fakeGateway(() => json(200, grant('access-resumed')));
    const auth = useAuthStore();
    await auth.resume();
    expect(calls[0]?.url).toBe('/k8s-api/v1/auth/refresh');
    expect(calls[0]?.init.body).toBeUndefined();
    expect(auth.status).toBe('signed-in');
    await expect(auth.getToken()).resolves.toBe('access-resumed');
  });

  it('is signed out when there is no session to resume', async () => {
    fakeGateway(() => json(401, { code: 'Unauthorized', message: 'Sign in first.' }));
    const auth = useAuthStore();
    await auth.resume();
    expect(auth.status).toBe('signed-out');
  });

  it('refreshes before the token expires, on a timer', async () => {
    const calls = fakeGateway(
      () => json(200, grant('access-1', 600)),
      () => json(200, grant('access-2', 600)),
    );
    const auth = useAuthStore();
    await auth.login({ username: 'admin', password: 'secret-password' });

    await vi.advanceTimersByTimeAsync(539_000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls[1]?.url).toBe('/k8s-api/v1/auth/refresh');
    await expect(auth.getToken()).resolves.toBe('access-2');
  });

  it('refreshes on demand when the token is about to expire, once for concurrent callers', async () => {
    const calls = fakeGateway(
      () => json(200, grant('short', 60)),
      () => json(200, grant('fresh', 600)),
    );
    const auth = useAuthStore();
    await auth.login({ username: 'admin', password: 'secret-password' });
    // the scheduled refresh (at 48 s) is what the clock reaches first; skip the timer itself
    vi.setSystemTime(Date.now() + 57_000);
    const tokens = await Promise.all([auth.getToken(), auth.getToken(), auth.getToken()]);
    expect(tokens).toEqual(['fresh', 'fresh', 'fresh']);
    expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1);
  });

  it('ends the session when a refresh is refused', async () => {
    fakeGateway(
      () => json(200, grant('access-1', 600)),
      () => json(401, { code: 'Unauthorized', message: 'Your session has ended; sign in again.' }),
    );
    const auth = useAuthStore();
    await auth.login({ username: 'admin', password: 'secret-password' });
    await vi.advanceTimersByTimeAsync(541_000);
    expect(auth.status).toBe('signed-out');
    await expect(auth.getToken()).resolves.toBeUndefined();
  });

  it('keeps the session through a gateway hiccup while the token is valid', async () => {
    const calls = fakeGateway(
      () => json(200, grant('access-1', 600)),
      () => json(502, { code: 'BadGateway', message: 'down' }),
      () => json(200, grant('access-2', 600)),
    );
    const auth = useAuthStore();
    await auth.login({ username: 'admin', password: 'secret-password' });
    await vi.advanceTimersByTimeAsync(541_000);
    expect(auth.status).toBe('signed-in');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(3);
    await expect(auth.getToken()).resolves.toBe('access-2');
  });

  it('signs out at the gateway, forgets the token and stops refreshing', async () => {
    const calls = fakeGateway(
      () => json(200, grant('access-1', 600)),
      () => new Response(null, { status: 204 }),
    );
    const auth = useAuthStore();
    await auth.login({ username: 'admin', password: 'secret-password' });
    await auth.logout();
    expect(calls[1]?.url).toBe('/k8s-api/v1/auth/logout');
    expect(calls[1]?.init.method).toBe('POST');
    expect(auth.status).toBe('signed-out');
    expect(auth.user).toBeUndefined();
    await expect(auth.getToken()).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(calls).toHaveLength(2);
  });

  it('forgets the session even when the sign-out request fails', async () => {
    fakeGateway(
      () => json(200, grant('access-1', 600)),
      () => json(503, { code: 'Unavailable', message: 'down' }),
    );
    const auth = useAuthStore();
    await auth.login({ username: 'admin', password: 'secret-password' });
    await expect(auth.logout()).rejects.toThrow('down');
    expect(auth.status).toBe('signed-out');
  });
});
