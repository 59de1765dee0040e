// One function per sign-in endpoint of the gateway (apps/gateway/src/plugins/auth/routes-session.ts).
import { request } from './http';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  groups: string[];
  source: 'local' | 'oidc' | 'host';
  via: 'session' | 'token';
}

export interface SessionGrant {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: SessionUser;
}

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
