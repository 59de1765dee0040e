// A fetch that answers like the gateway for the few endpoints a first page load calls.
import { menu, resourceKey } from '@binnacle/resources';
import { vi } from 'vitest';

export const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1',
    namespace: 'demo',
    uid: 'u1',
    creationTimestamp: '2024-01-01T00:00:00Z',
  },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
  status: { phase: 'Running' },
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function fakeGateway(options: { signedIn: boolean }) {
  const grant = {
    accessToken: 'token-1',
    expiresIn: 900,
    user: {
      id: 'u',
      username: 'ada',
      displayName: 'Ada',
      groups: [],
      source: 'local',
      via: 'session',
    },
  };
  const everything = Object.fromEntries(
    menu()
      .flatMap((s) => s.entries)
      .map((entry) => [resourceKey(entry), ['*']]),
  );
  return vi.fn((input: RequestInfo | URL) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, 'http://localhost');
    const path = url.pathname;
    if (path.endsWith('/auth/refresh')) {
      return Promise.resolve(
        options.signedIn
          ? json(200, grant)
          : json(401, { code: 'Unauthorized', message: 'Sign in first.' }),
      );
    }
    if (path.endsWith('/auth/config')) {
      return Promise.resolve(
        json(200, { local: true, oidc: { enabled: false }, host: { enabled: false } }),
      );
    }
    if (path.endsWith('/auth/ticket'))
      return Promise.resolve(json(200, { ticket: 't', expiresIn: 30 }));
    if (path.endsWith('/access'))
      return Promise.resolve(
        json(200, { cluster: 'dev', namespace: '*', rules: [], can: everything }),
      );
    if (path.endsWith('/clusters')) {
      const health = {
        reachable: true,
        version: 'v1.31',
        latencyMs: 3,
        lastError: null,
        checkedAt: null,
      };
      return Promise.resolve(
        json(200, {
          items: [
            {
              id: 'dev',
              name: 'dev',
              server: 'https://k',
              identityMode: 'gateway',
              createdAt: '',
              updatedAt: '',
              health,
            },
          ],
        }),
      );
    }
    if (path.endsWith('/resources/pods')) {
      return Promise.resolve(json(200, { items: [pod], total: 1, page: 1, pageSize: 50 }));
    }
    if (path.includes('/resources/')) {
      return Promise.resolve(json(200, { items: [], total: 0, page: 1, pageSize: 50 }));
    }
    return Promise.resolve(json(404, { code: 'NotFound', message: `no route ${path}` }));
  });
}
