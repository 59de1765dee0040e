// The portal's session: sign-in through the gateway, resumed on load with the refresh cookie, the
// access token kept in memory only (never in storage), refreshed before it expires.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { loginApi, logoutApi, refreshApi, type SessionGrant, type SessionUser } from '../api/auth';
import { ApiError } from '../api/http';

export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out';

/** Refresh this long before the access token expires (or a fifth of its life, if shorter). */
const refreshMarginMs = 60_000;
/** After a refresh that failed for another reason than a refused session, try again this soon. */
const retryMs = 10_000;

export const useAuthStore = defineStore('auth', () => {
  const user = shallowRef<SessionUser>();
  const status = ref<SessionStatus>('unknown');
  const signedIn = computed(() => status.value === 'signed-in');

  // Outside the store's state on purpose: devtools and serializers never see it.
  let accessToken: string | undefined;
  let expiresAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<string | undefined> | undefined;

  function schedule(delayMs: number): void {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), Math.max(delayMs, 1_000));
  }

  function accept(grant: SessionGrant): string {
    accessToken = grant.accessToken;
    const lifeMs = grant.expiresIn * 1000;
    expiresAt = Date.now() + lifeMs;
    user.value = grant.user;
    status.value = 'signed-in';
    schedule(lifeMs - Math.min(refreshMarginMs, lifeMs / 5));
    return grant.accessToken;
  }

  function forget(): void {
    clearTimeout(timer);
    timer = undefined;
    accessToken = undefined;
    expiresAt = 0;
    user.value = undefined;
    status.value = 'signed-out';
  }

  /** One refresh at a time: concurrent callers share it (the cookie rotates on every use). */
  function refresh(): Promise<string | undefined> {
    refreshing ??= refreshApi()
      .then(accept, (err: unknown) => {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
          forget();
          return undefined;
        }
        // The gateway is unreachable for a moment: keep the session while the token lasts.
        if (accessToken !== undefined && Date.now() < expiresAt) {
          schedule(retryMs);
          return accessToken;
        }
        forget();
        throw err;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  /** On load: a refresh cookie from an earlier visit resumes the session without a sign-in. */
  async function resume(): Promise<void> {
    try {
      await refresh();
    } catch {
      // unreachable gateway at load: the sign-in page says so when the person tries
    }
  }

  async function login(credentials: { username: string; password: string }): Promise<void> {
    accept(await loginApi(credentials));
  }

  async function logout(): Promise<void> {
    try {
      await logoutApi();
    } finally {
      forget();
    }
  }

  /** A valid access token, refreshed first when it is about to expire; undefined when signed out. */
  async function getToken(): Promise<string | undefined> {
    if (accessToken === undefined) return undefined;
    if (Date.now() < expiresAt - 5_000) return accessToken;
    return refresh();
  }

  return { user, status, signedIn, login, logout, resume, refresh, getToken };
});
