// Entry: qiankun lifecycles when a host mounts the app, a standalone render otherwise.
import '@xterm/xterm/css/xterm.css';
import type { HostState, MountProps } from '@binnacle/contract';
import {
  qiankunWindow,
  renderWithQiankun,
  type QiankunProps,
} from 'vite-plugin-qiankun/dist/helper';
import { createK8sApp, type K8sAppHandle } from './app/create';
import { standaloneSettings } from './app/standalone';

type HostProps = QiankunProps &
  Partial<MountProps> & {
    onGlobalStateChange?: (listener: (state: HostState) => void, fireImmediately?: boolean) => void;
    offGlobalStateChange?: () => void;
  };

const rootId = 'binnacle-k8s';
let current: K8sAppHandle | undefined;

function containerOf(props: HostProps): Element {
  const scope: ParentNode = props.container ?? document;
  const found = scope.querySelector(`#${rootId}`);
  if (found === null) throw new Error(`web-k8s: no #${rootId} element to mount into`);
  return found;
}

function mountInHost(props: HostProps): void {
  if (props.getToken === undefined || props.onLogout === undefined) {
    throw new Error('web-k8s: the host must pass getToken and onLogout');
  }
  current = createK8sApp({
    container: containerOf(props),
    basePath: props.basePath ?? '/k8s',
    theme: props.theme ?? 'light',
    locale: props.locale ?? 'en',
    host: { getToken: props.getToken, onLogout: props.onLogout },
  });
  const app = current;
  props.onGlobalStateChange?.((state) => {
    app.setHostState(state);
  }, true);
}

renderWithQiankun({
  bootstrap() {},
  mount(props) {
    mountInHost(props);
  },
  update(props) {
    const { theme, locale } = props as HostProps;
    current?.setHostState({ ...(theme ? { theme } : {}), ...(locale ? { locale } : {}) });
  },
  unmount(props) {
    (props as HostProps).offGlobalStateChange?.();
    current?.unmount();
    current = undefined;
  },
});

if (qiankunWindow.__POWERED_BY_QIANKUN__ !== true) {
  current = createK8sApp({ container: containerOf({}), basePath: '/k8s', ...standaloneSettings() });
}
