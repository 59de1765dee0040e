// Registers web-k8s with qiankun and keeps qiankun's global state in step with the portal's theme
// and language, so a change applies inside the mounted sub-app at once.
import type { HostState } from '@binnacle/contract';
import { initGlobalState, registerMicroApps, start } from 'qiankun';
import { watch } from 'vue';
import { createMountProps, subAppBasePath, subAppName, type PropsSources } from './props';

/** The element qiankun mounts the sub-app into; the portal layout renders it. */
export const subAppContainer = '#subapp';

export function startMicroApps(
  sources: PropsSources & { onLoading?: (loading: boolean) => void },
): void {
  const actions = initGlobalState({ ...sources.state() });
  watch(sources.state, (state: HostState) => {
    actions.setGlobalState({ ...state });
  });

  registerMicroApps([
    {
      name: subAppName,
      // The trailing slash: the sub-app's index.html lives at /k8s/ (its vite base).
      entry: `${subAppBasePath}/`,
      container: subAppContainer,
      activeRule: subAppBasePath,
      loader: sources.onLoading ?? (() => undefined),
      props: createMountProps(sources),
    },
  ]);

  start({
    // web-k8s is an ES-module build (vite-plugin-qiankun): only its small inline bootstrap script
    // runs inside qiankun's proxy sandbox; its modules run in the real window, where a JS sandbox
    // cannot reach. The proxy sandbox stays on for that bootstrap (its globals stay off window).
    // Style isolation stays off: the sub-app's ant-design-vue uses its own prefixCls and writes its
    // styles (and popups) into document.head/body, which a shadow root or qiankun's CSS rewriting
    // would cut off.
    sandbox: { strictStyleIsolation: false, experimentalStyleIsolation: false },
    // One sub-app at a time; the next route's app waits for the last to unmount.
    singular: true,
    // Nothing else to prefetch while one app is registered.
    prefetch: false,
  });
}
