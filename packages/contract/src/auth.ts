// Sign-in as the web apps see it: who is signed in, what a sign-in answers, which methods there are.
import { apiBase } from './resources.ts';

export const authBase = `${apiBase}/auth`;

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  groups: string[];
  source: 'local' | 'oidc' | 'host';
  via: 'session' | 'token';
}

/** What sign-in and refresh answer (the refresh cookie comes with it, httpOnly). */
export interface SessionGrant {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: AuthUser;
}

/** `GET /auth/config`: the sign-in methods the gateway offers. */
export interface AuthMethods {
  local: true;
  oidc: { enabled: boolean; name?: string };
  host: { enabled: boolean };
}

/** The OIDC sign-in starts with a full-page navigation to this URL; it comes back to `returnTo`. */
export function oidcLoginPath(returnTo: string): string {
  return `${authBase}/oidc/login?${new URLSearchParams({ returnTo }).toString()}`;
}
