import { describe, expect, it, vi } from 'vitest';
import { ApiError, ClientErrorCode } from './errors';
import { createHttp, withQuery, type TokenSource } from './request';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function tokens(options: { fresh: string | undefined } = { fresh: 'new' }) {
  const renew = vi.fn(() => Promise.resolve(options.fresh));
  const expired = vi.fn();
  const source: TokenSource = { token: () => Promise.resolve('old'), renew, expired };
  return { source, renew, expired };
}

const authOf = (call: unknown[]) =>
  ((call[1] as RequestInit).headers as Record<string, string>).authorization;

describe('request: error mapping', () => {
  it.each([
    {
      name: "the gateway's error body keeps its human message and code",
      response: () => json(403, { code: 'Forbidden', message: 'You may not list pods in demo.' }),
      expected: { status: 403, code: 'Forbidden', message: 'You may not list pods in demo.' },
    },
    {
      name: 'a body without the error shape becomes a BadResponse',
      response: () => new Response('<html>bad gateway</html>', { status: 502 }),
      expected: { status: 502, code: ClientErrorCode.badResponse },
    },
  ])('$name', async ({ response, expected }) => {
    const http = createHttp({ fetch: () => Promise.resolve(response()) });
    const error = await http.request({ path: '/x' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject(expected);
  });

  it('maps a failed fetch to a NetworkError', async () => {
    const http = createHttp({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(http.request({ path: '/x' })).rejects.toMatchObject({
      status: 0,
      code: ClientErrorCode.network,
    });
  });

  it('sends JSON and parses JSON; 204 is undefined', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(json(200, { ok: 1 })));
    const http = createHttp({ fetch });
    await expect(http.request({ method: 'POST', path: '/x', body: { a: 1 } })).resolves.toEqual({
      ok: 1,
    });
    const init = fetch.mock.calls[0]?.[1];
    expect(init?.body).toBe('{"a":1}');
    expect((init?.headers as Record<string, string>)['content-type']).toBe('application/json');
    fetch.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(http.request({ path: '/y' })).resolves.toBeUndefined();
  });

  it('leaves out empty query values', () => {
    expect(withQuery('/p', { a: 'x y', b: undefined, c: '', d: 2, e: false })).toBe(
      '/p?a=x+y&d=2&e=false',
    );
  });
});

describe('request: 401', () => {
  it('renews the token once and retries with the new one', async () => {
    const fetch = vi
      .fn<typeof globalThis.fetch>()
      .mockResolvedValueOnce(json(401, { code: 'Unauthorized', message: 'expired' }))
      .mockResolvedValueOnce(json(200, { items: [] }));
    const { source, renew, expired } = tokens();
    const http = createHttp({ fetch, tokens: source });
    await expect(http.request({ path: '/x' })).resolves.toEqual({ items: [] });
    expect(fetch.mock.calls.map(authOf)).toEqual(['Bearer old', 'Bearer new']);
    expect(renew).toHaveBeenCalledTimes(1);
    expect(expired).not.toHaveBeenCalled();
  });

  it('ends the session when the retried request is refused again', async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(json(401, { code: 'Unauthorized', message: 'Sign in first.' })),
    );
    const { source, expired } = tokens();
    const http = createHttp({ fetch, tokens: source });
    await expect(http.request({ path: '/x' })).rejects.toMatchObject({
      status: 401,
      message: 'Sign in first.',
    });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('ends the session without a retry when no fresh token comes', async () => {
    const fetch = vi.fn(() => Promise.resolve(json(401, { code: 'Unauthorized', message: 'no' })));
    const { source, expired } = tokens({ fresh: undefined });
    const http = createHttp({ fetch, tokens: source });
    await expect(http.request({ path: '/x' })).rejects.toBeInstanceOf(ApiError);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('does not renew for the sign-in endpoints', async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(json(401, { code: 'Unauthorized', message: 'Wrong username or password.' })),
    );
    const { source, renew } = tokens();
    const http = createHttp({ fetch, tokens: source });
    await expect(http.request({ path: '/login', auth: false })).rejects.toMatchObject({
      message: 'Wrong username or password.',
    });
    expect(renew).not.toHaveBeenCalled();
    expect(authOf(fetch.mock.calls[0] as unknown[])).toBeUndefined();
  });
});
