// One function per sign-in endpoint of the gateway (apps/gateway/src/plugins/auth/routes-session.ts).
import type { AuthMethods, AuthUser, SessionGrant } from '@binnacle/contract';
import { request } from './http';

export type { AuthMethods, SessionGrant } from '@binnacle/contract';
/** The signed-in person. */
export type SessionUser = AuthUser;

export function loginApi(credentials: { username: string; password: string }) {
  return request<SessionGrant>('/auth/login', { method: 'POST', body: credentials });
}

/** Trades the httpOnly refresh cookie for a new access token (and a rotated cookie). */
export function refreshApi() {
  return request<SessionGrant>('/auth/refresh', { method: 'POST' });
}

export function logoutApi() {
  return request<undefined>('/auth/logout', { method: 'POST' });
}

/** The sign-in methods the gateway offers (local always; OIDC when configured). */
export function authConfigApi() {
  return request<AuthMethods>('/auth/config');
}
