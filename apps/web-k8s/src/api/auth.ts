// Sign-in endpoints. None of them send a bearer token: they are how a token is obtained.
import {
  apiBase,
  authBase as auth,
  oidcLoginPath,
  type AuthMethods,
  type AuthUser,
  type SessionGrant,
} from '@binnacle/contract';
import type { Http } from './request';

export type { AuthMethods, AuthUser, SessionGrant } from '@binnacle/contract';

export interface Ticket {
  ticket: string;
  expiresIn: number;
}

export function loginApi(http: Http, body: { username: string; password: string }) {
  return http.request<SessionGrant>({ method: 'POST', path: `${auth}/login`, body, auth: false });
}

export function refreshApi(http: Http) {
  return http.request<SessionGrant>({ method: 'POST', path: `${auth}/refresh`, auth: false });
}

export function logoutApi(http: Http) {
  return http.request<undefined>({ method: 'POST', path: `${auth}/logout`, auth: false });
}

export function authConfigApi(http: Http) {
  return http.request<AuthMethods>({ path: `${auth}/config`, auth: false });
}

/** A single-use ticket for a WebSocket URL (browsers cannot set headers on WebSockets). */
export function ticketApi(http: Http) {
  return http.request<Ticket>({ method: 'POST', path: `${auth}/ticket` });
}

export function meApi(http: Http) {
  return http.request<AuthUser>({ path: `${apiBase}/me` });
}

/** The OIDC sign-in starts with a full-page navigation, so this is a URL, not a request. */
export const oidcLoginUrl = oidcLoginPath;
