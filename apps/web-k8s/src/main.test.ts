import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeGateway } from './test/fake-gateway';
import { FakeSocket } from './test/fake-socket';

interface Lifecycles {
  mount(props: object): Promise<void> | void;
  unmount(props: object): Promise<void> | void;
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('main (under qiankun)', () => {
  it('registers lifecycles, follows the host state, and unmounts cleanly', async () => {
    // What qiankun and vite-plugin-qiankun's html helper set before the entry module runs.
    const global = window as unknown as Record<string, unknown>;
    global.__POWERED_BY_QIANKUN__ = true;
    global.qiankunName = 'k8s';
    vi.stubGlobal('fetch', fakeGateway({ signedIn: false }));
    vi.stubGlobal('WebSocket', FakeSocket);
    window.history.replaceState({}, '', '/k8s/c/dev/pods');
    await import('./main');
    const lifecycles = (global.moudleQiankunAppLifeCycles as Record<string, Lifecycles>).k8s;
    if (lifecycles === undefined) throw new Error('no lifecycles registered');

    const container = document.createElement('div');
    container.innerHTML = '<div id="binnacle-k8s"></div>';
    document.body.append(container);
    let listener: ((state: { theme: string; locale: string }) => void) | undefined;
    const offGlobalStateChange = vi.fn();
    const props = {
      container,
      getToken: () => Promise.resolve('host-token'),
      onLogout: vi.fn(),
      basePath: '/k8s',
      theme: 'light',
      locale: 'en',
      onGlobalStateChange: (fn: typeof listener) => (listener = fn),
      offGlobalStateChange,
    };
    await lifecycles.mount(props);
    await vi.waitFor(
      () => {
        expect(container.querySelector('[data-testid="menu-pods"]')).not.toBeNull();
      },
      { timeout: 10_000 },
    );
    listener?.({ theme: 'dark', locale: 'zh-CN' });
    await vi.waitFor(() => {
      expect(container.querySelector('[data-testid="menu-pods"]')?.textContent).toContain('容器组');
    });
    expect(container.querySelector('.bnk-root--dark')).not.toBeNull();

    await lifecycles.unmount(props);
    expect(offGlobalStateChange).toHaveBeenCalled();
    expect(container.querySelector('#binnacle-k8s')?.childNodes).toHaveLength(0);
    delete global.__POWERED_BY_QIANKUN__;
  }, 30_000);
});
