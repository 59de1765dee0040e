import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAuthStore } from '../stores/auth';
import { createPortalRouter, safeRedirect } from './index';

describe('the portal guard', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    window.history.replaceState(null, '', '/');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('sends a visitor without a session to the sign-in page, remembering where they went', async () => {
    const router = createPortalRouter();
    await router.push('/k8s/c/local/pods?namespace=demo');
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe('/k8s/c/local/pods?namespace=demo');
  });

  it('lets a signed-in person in, and keeps them off the sign-in page', async () => {
    vi.stubGlobal('fetch', () =>
      Promise.resolve(
        new Response(
          JSON.stringify({
            accessToken: 't',
            expiresIn: 600,
            user: {
              id: 'u',
              username: 'ada',
              displayName: 'Ada',
              groups: [],
              source: 'local',
              via: 'session',
            },
          }),
          { status: 200 },
        ),
      ),
    );
    await useAuthStore().login({ username: 'ada', password: 'long-enough-password' });
    const router = createPortalRouter();
    await router.push('/k8s/c/local/pods');
    expect(router.currentRoute.value.name).toBe('k8s');
    expect(router.currentRoute.value.meta.subApp).toBe(true);
    await router.push('/login?redirect=/k8s');
    expect(router.currentRoute.value.fullPath).toBe('/k8s');
  });

  it.each([
    ['/k8s/c/x/pods', '/k8s/c/x/pods'],
    ['//evil.example/', '/'],
    ['https://evil.example/', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
  ])('safeRedirect(%j) is %s', (value, expected) => {
    expect(safeRedirect(value)).toBe(expected);
  });
});
