import { menu, resourceKey } from '@binnacle/resources';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeGateway } from '../test/fake-gateway';
import { FakeSocket } from '../test/fake-socket';
import { createK8sApp } from './create';

// Mounting the whole app is slow the first time (and when other suites run beside it).
const slow = { timeout: 10_000 };

const find = (testId: string) => document.querySelector(`[data-testid="${testId}"]`);

function container(): HTMLElement {
  const element = document.createElement('div');
  element.id = 'binnacle-k8s';
  document.body.append(element);
  return element;
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  window.history.replaceState({}, '', '/k8s/c/dev/pods');
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('createK8sApp (embedded)', () => {
  it('renders the list with the registry menu, and unmount leaves nothing behind', async () => {
    vi.stubGlobal('fetch', fakeGateway({ signedIn: false }));
    const headStyles = document.head.querySelectorAll('style').length;
    const added = vi.spyOn(window, 'addEventListener');
    const removed = vi.spyOn(window, 'removeEventListener');
    const element = container();
    const getToken = vi.fn(() => Promise.resolve('host-token'));
    const app = createK8sApp({
      container: element,
      basePath: '/k8s',
      theme: 'dark',
      locale: 'en',
      host: { getToken, onLogout: vi.fn() },
    });

    await vi.waitFor(() => {
      expect(document.querySelector('[data-name="web-1"]')).not.toBeNull();
    }, slow);
    expect(find('k8s-root')).not.toBeNull();
    expect(find('k8s-login')).toBeNull();
    expect(find('logout-button')).toBeNull();
    const keys = menu().flatMap((section) => section.entries.map((entry) => resourceKey(entry)));
    expect(keys).toContain('deployments.apps');
    for (const key of keys) expect(find(`menu-${key}`), key).not.toBeNull();
    expect(getToken).toHaveBeenCalled();
    // The list subscribed for changes over the live socket.
    await vi.waitFor(() => {
      expect(FakeSocket.instances.length).toBeGreaterThan(0);
    }, slow);
    FakeSocket.instances[0]?.open();
    expect(FakeSocket.instances[0]?.messages()[0]).toMatchObject({
      resource: 'pods',
      mode: 'changes',
    });

    app.unmount();
    expect(FakeSocket.instances.every((socket) => socket.readyState === FakeSocket.CLOSED)).toBe(
      true,
    );
    expect(element.childNodes).toHaveLength(0);
    expect(document.head.querySelectorAll('style')).toHaveLength(headStyles);
    const count = (spy: typeof added, type: string) =>
      spy.mock.calls.filter(([name]) => name === type).length;
    expect(count(removed, 'popstate')).toBe(count(added, 'popstate'));
  });

  it('can be mounted again after an unmount', async () => {
    vi.stubGlobal('fetch', fakeGateway({ signedIn: false }));
    const host = { getToken: () => Promise.resolve('t'), onLogout: vi.fn() };
    const options = { basePath: '/k8s', theme: 'light', locale: 'zh-CN', host } as const;
    createK8sApp({ ...options, container: container() }).unmount();
    const second = createK8sApp({ ...options, container: container() });
    await vi.waitFor(() => {
      expect(document.querySelector('[data-name="web-1"]')).not.toBeNull();
    }, slow);
    expect(find('menu-pods')?.textContent).toContain('容器组');
    second.unmount();
  });
});

describe('createK8sApp (standalone)', () => {
  it('shows its sign-in page when there is no session to resume', async () => {
    vi.stubGlobal('fetch', fakeGateway({ signedIn: false }));
    const app = createK8sApp({
      container: container(),
      basePath: '/k8s',
      theme: 'light',
      locale: 'en',
    });
    await vi.waitFor(() => {
      expect(find('k8s-login')).not.toBeNull();
    }, slow);
    expect(window.location.pathname).toBe('/k8s/login');
    // Browser tests fill these, so the ids must sit on the inputs themselves.
    expect(find('login-username')?.tagName).toBe('INPUT');
    expect(find('login-password')?.tagName).toBe('INPUT');
    expect(find('login-submit')?.tagName).toBe('BUTTON');
    app.unmount();
  });

  it('resumes a session silently from the refresh cookie', async () => {
    const fetch = fakeGateway({ signedIn: true });
    vi.stubGlobal('fetch', fetch);
    const app = createK8sApp({
      container: container(),
      basePath: '/k8s',
      theme: 'light',
      locale: 'en',
    });
    await vi.waitFor(() => {
      expect(document.querySelector('[data-name="web-1"]')).not.toBeNull();
    }, slow);
    expect(find('k8s-login')).toBeNull();
    expect(find('logout-button')).not.toBeNull();
    expect(find('theme-toggle')).not.toBeNull();
    expect(find('locale-select')).not.toBeNull();
    app.unmount();
  });
});
