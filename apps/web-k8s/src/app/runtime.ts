// What one mount of the sub-app owns: its HTTP client, its live socket, its open streams and
// terminals. Everything here is closed when the mount ends.
import type { Locale, Theme } from '@binnacle/contract';
import { inject, type InjectionKey, type ShallowRef } from 'vue';
import type { Http } from '../api/request';
import type { LiveClient, LiveStatus } from '../live/live-client';
import type { LocalSession } from '../session/local-session';

export type Mode = 'embedded' | 'standalone';

export interface Runtime {
  mode: Mode;
  http: Http;
  live: LiveClient;
  liveStatus: ShallowRef<LiveStatus>;
  /** Only standalone: the sub-app's own sign-in. */
  session: LocalSession | undefined;
  /** Only embedded: give the session back to the host. */
  hostLogout: (() => void) | undefined;
  initial: { theme: Theme; locale: Locale };
  /** Where ant-design-vue injects its styles: the mount's element, so they leave with it. */
  styleContainer: Element;
  /** A WebSocket the mount closes when it ends, whoever opened it. */
  openSocket(url: string): WebSocket;
  /** A clean-up (an xterm's dispose) that also runs when the mount ends. */
  track(dispose: () => void): () => void;
}

export const runtimeKey: InjectionKey<Runtime> = Symbol('binnacle.k8s.runtime');

export function useRuntime(): Runtime {
  const runtime = inject(runtimeKey);
  if (runtime === undefined) throw new Error('useRuntime() outside of a mounted web-k8s app');
  return runtime;
}
