// What the host hands to web-k8s when qiankun mounts it (packages/contract MountProps).
import type { HostState, MountProps } from '@binnacle/contract';

export const subAppName = 'k8s';
export const subAppBasePath = '/k8s';

export interface PropsSources {
  /** The current theme and locale: read at each mount, so a remount gets today's values. */
  state: () => HostState;
  getToken: () => Promise<string | undefined>;
  /** The sub-app's session ended: the host signs out and shows its sign-in page. */
  signOut: () => void;
}

/**
 * Mount props with getters for theme and locale: single-spa copies the registered props at every
 * mount, so the getters give the values of that moment. Later changes travel by global state.
 */
export function createMountProps(sources: PropsSources): MountProps {
  return {
    get theme() {
      return sources.state().theme;
    },
    get locale() {
      return sources.state().locale;
    },
    getToken: () => sources.getToken(),
    basePath: subAppBasePath,
    onLogout: () => {
      sources.signOut();
    },
  };
}
