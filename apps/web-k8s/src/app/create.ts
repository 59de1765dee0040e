// Builds one mount of the sub-app: a fresh Vue app, router, pinia and i18n, and the clients it
// owns. `unmount` leaves nothing behind: sockets closed, terminals disposed, listeners removed,
// the container emptied.
import type { HostState, Locale, MountProps, Theme } from '@binnacle/contract';
import { createPinia } from 'pinia';
import { createApp, shallowRef } from 'vue';
import App from '../App.vue';
import { liveSocketUrl } from '../api/sockets';
import { createHttp } from '../api/request';
import { LiveClient, type LiveStatus } from '../live/live-client';
import { createK8sI18n } from '../locales/index';
import { createK8sRouter } from '../router';
import { hostTokenSource } from '../session/host-session';
import { createLocalSession } from '../session/local-session';
import { useSettingsStore } from '../stores/settings';
import { iconStyleGuard } from './icon-style';
import { createTracker } from './resources';
import { runtimeKey, type Runtime } from './runtime';

export interface K8sAppOptions {
  /** The element the app renders into. */
  container: Element;
  basePath: string;
  theme: Theme;
  locale: Locale;
  /** Embedded: the host's session. Standalone when absent. */
  host?: Pick<MountProps, 'getToken' | 'onLogout'>;
}

export interface K8sAppHandle {
  /** Theme and locale from the host's global state. */
  setHostState(state: Partial<HostState>): void;
  unmount(): void;
}

export function createK8sApp(options: K8sAppOptions): K8sAppHandle {
  const { host } = options;
  const tracker = createTracker();
  const iconStyle = iconStyleGuard();
  const session = host === undefined ? createLocalSession(createHttp()) : undefined;
  const tokens = host === undefined ? session : hostTokenSource(host);
  const http = createHttp(tokens === undefined ? {} : { tokens });
  const liveStatus = shallowRef<LiveStatus>('idle');
  const live = new LiveClient({
    connect: async () => tracker.openSocket(await liveSocketUrl(http)),
    onStatus: (status) => (liveStatus.value = status),
  });

  const runtime: Runtime = {
    mode: host === undefined ? 'standalone' : 'embedded',
    http,
    live,
    liveStatus,
    session,
    hostLogout: host?.onLogout,
    initial: { theme: options.theme, locale: options.locale },
    styleContainer: options.container,
    openSocket: (url) => tracker.openSocket(url),
    track: (dispose) => tracker.track(dispose),
  };

  const router = createK8sRouter({ base: options.basePath, session });
  const pinia = createPinia();
  const app = createApp(App);
  app.provide(runtimeKey, runtime);
  app.use(pinia).use(createK8sI18n(options.locale)).use(router);
  app.mount(options.container);

  return {
    setHostState(state) {
      useSettingsStore(pinia).apply(state);
    },
    unmount() {
      app.unmount();
      live.close();
      tracker.closeAll();
      session?.dispose();
      // The router's own popstate listeners outlive app.unmount unless the history is destroyed.
      router.options.history.destroy();
      // ant-design-vue's style tags are injected into the container; they go with it.
      options.container.replaceChildren();
      iconStyle.release();
    },
  };
}
