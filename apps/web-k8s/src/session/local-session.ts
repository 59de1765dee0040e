// Standalone: the sub-app signs in against the gateway itself. The access token lives in memory
// only; the refresh token is an httpOnly cookie, so a reload (or a person signed in at the host
// who opens /k8s directly) resumes silently through /auth/refresh.
import { shallowRef, type ShallowRef } from 'vue';
import { loginApi, logoutApi, refreshApi, type AuthUser, type SessionGrant } from '../api/auth';
import type { Http, TokenSource } from '../api/request';

/** Refresh this long before the access token expires. */
const refreshMarginMs = 30_000;

export interface LocalSession extends TokenSource {
  user: ShallowRef<AuthUser | undefined>;
  login(username: string, password: string): Promise<void>;
  /** Resumes a session from the refresh cookie; false when there is none. */
  resume(): Promise<boolean>;
  logout(): Promise<void>;
  /** Called when the session ended by itself (the UI goes to the sign-in page). */
  onEnded(listener: () => void): void;
  dispose(): void;
}

/** `http` must be a client without a token source: these calls are how a token is obtained. */
export function createLocalSession(http: Http, now: () => number = Date.now): LocalSession {
  const user = shallowRef<AuthUser>();
  let accessToken: string | undefined;
  let expiresAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // One refresh at a time: the gateway rotates the refresh token, and presenting the old one twice
  // ends the whole session as a suspected theft.
  let refreshing: Promise<string | undefined> | undefined;
  let ended: () => void = () => undefined;

  function accept(grant: SessionGrant): string {
    accessToken = grant.accessToken;
    expiresAt = now() + grant.expiresIn * 1000;
    user.value = grant.user;
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), Math.max(1000, expiresAt - now() - refreshMarginMs));
    return grant.accessToken;
  }

  function clear(): void {
    accessToken = undefined;
    expiresAt = 0;
    user.value = undefined;
    clearTimeout(timer);
    timer = undefined;
  }

  function refresh(): Promise<string | undefined> {
    refreshing ??= refreshApi(http)
      .then(accept, () => {
        clear();
        return undefined;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  return {
    user,
    async token() {
      if (refreshing !== undefined) return refreshing;
      if (accessToken === undefined) return undefined;
      if (now() < expiresAt - refreshMarginMs) return accessToken;
      return refresh();
    },
    renew: refresh,
    expired() {
      clear();
      ended();
    },
    async login(username, password) {
      accept(await loginApi(http, { username, password }));
    },
    async resume() {
      return (await refresh()) !== undefined;
    },
    async logout() {
      clear();
      await logoutApi(http).catch(() => undefined);
    },
    onEnded(listener) {
      ended = listener;
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}
