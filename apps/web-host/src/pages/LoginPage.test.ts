import { mount, flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPortalI18n } from '../i18n';
import { createPortalRouter } from '../router';
import LoginPage from './LoginPage.vue';

function gatewayWith(config: unknown) {
  vi.stubGlobal('fetch', (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input);
    return Promise.resolve(
      url.endsWith('/auth/config')
        ? new Response(JSON.stringify(config), { status: 200 })
        : new Response('{"code":"Unauthorized","message":"Sign in first."}', { status: 401 }),
    );
  });
}

async function page() {
  // The router's guard reads the auth store: the same pinia for it and the page.
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createPortalRouter();
  await router.push('/login?redirect=/k8s/c/local/pods');
  const wrapper = mount(LoginPage, {
    global: { plugins: [pinia, router, createPortalI18n('en')] },
  });
  await flushPromises();
  return wrapper;
}

describe('the portal sign-in page', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('offers the OIDC provider the gateway has, returning to where the person was going', async () => {
    gatewayWith({
      local: true,
      oidc: { enabled: true, name: 'Acme SSO' },
      host: { enabled: false },
    });
    const assign = vi.fn();
    vi.stubGlobal('location', { assign });
    const wrapper = await page();
    const sso = wrapper.get('[data-testid="host-sso"]');
    expect(sso.text()).toBe('Sign in with Acme SSO');
    await sso.trigger('click');
    expect(assign).toHaveBeenCalledWith(
      '/k8s-api/v1/auth/oidc/login?returnTo=%2Fk8s%2Fc%2Flocal%2Fpods',
    );
  });

  it('offers local accounts only when there is no provider', async () => {
    gatewayWith({ local: true, oidc: { enabled: false }, host: { enabled: false } });
    const wrapper = await page();
    expect(wrapper.find('[data-testid="host-login"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="host-sso"]').exists()).toBe(false);
  });
});
