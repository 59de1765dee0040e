// The micro-frontend contract: what a host passes to web-k8s when it mounts it with qiankun.
// Later changes of theme and locale arrive through qiankun's global state (`HostState`).

export type Theme = 'light' | 'dark';
export type Locale = 'en' | 'zh-CN';
export const locales: readonly Locale[] = ['en', 'zh-CN'];

export interface HostState {
  theme: Theme;
  locale: Locale;
}

export interface MountProps extends HostState {
  /** The gateway access token of the signed-in person; undefined when nobody is signed in. */
  getToken: () => Promise<string | undefined>;
  /** Where the sub-app's routes live in the host (`/k8s`). */
  basePath: string;
  /** The sub-app's session ended (a 401 it cannot recover from, or a sign-out inside it). */
  onLogout: () => void;
}
