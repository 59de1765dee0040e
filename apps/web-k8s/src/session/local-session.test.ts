import { describe, expect, it, vi } from 'vitest';
import type { Http, RequestOptions } from '../api/request';
import { createLocalSession } from './local-session';

const user = {
  id: 'u',
  username: 'ada',
  displayName: 'Ada',
  groups: [],
  source: 'local',
  via: 'session',
};

function fakeHttp(answer: (options: RequestOptions) => Promise<unknown>) {
  const request = vi.fn(answer);
  return { http: { request } as unknown as Http, request };
}

describe('local session', () => {
  it('refreshes once for many callers: a rotated refresh token must not be presented twice', async () => {
    let tokens = 0;
    const { http, request } = fakeHttp(async () => {
      await Promise.resolve();
      tokens += 1;
      return { accessToken: `t${String(tokens)}`, expiresIn: 900, user };
    });
    const session = createLocalSession(http);
    const results = await Promise.all([session.renew(), session.renew(), session.renew()]);
    expect(results).toEqual(['t1', 't1', 't1']);
    expect(request).toHaveBeenCalledTimes(1);
    session.dispose();
  });

  it('keeps the token in memory and refreshes it shortly before it expires', async () => {
    let clock = 0;
    let issued = 0;
    const { http, request } = fakeHttp(() => {
      issued += 1;
      return Promise.resolve({ accessToken: `t${String(issued)}`, expiresIn: 60, user });
    });
    const session = createLocalSession(http, () => clock);
    await session.login('ada', 'secret');
    expect(request.mock.calls[0]?.[0]).toMatchObject({
      path: '/k8s-api/v1/auth/login',
      auth: false,
    });
    expect(await session.token()).toBe('t1');
    clock = 45_000; // within the last 30 s
    expect(await session.token()).toBe('t2');
    expect(request.mock.calls[1]?.[0]).toMatchObject({ path: '/k8s-api/v1/auth/refresh' });
    session.dispose();
  });

  it('resume() is false without a session, and a lost session is announced', async () => {
    const { http } = fakeHttp(() => Promise.reject(new Error('401')));
    const session = createLocalSession(http);
    expect(await session.resume()).toBe(false);
    expect(await session.token()).toBeUndefined();
    const ended = vi.fn();
    session.onEnded(ended);
    session.expired();
    expect(ended).toHaveBeenCalledTimes(1);
    expect(session.user.value).toBeUndefined();
  });
});
