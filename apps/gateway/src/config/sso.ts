// Single sign-on: an OpenID Connect provider, and the host portal's signed tokens. Each is on only
// when its variables are set; half a configuration stops the start.
import { loadAuthConfig, Secret } from './auth.js';
import { ConfigError, optionalString, string, url, type Env } from './env.js';

export interface OidcConfig {
  issuer: URL;
  clientId: string;
  clientSecret: Secret;
  scopes: string;
  groupsClaim: string;
  /** What the sign-in page calls the provider. */
  displayName: string | undefined;
  /** `<public>/k8s-api/v1/auth/oidc/callback`, registered at the provider. */
  redirectUri: URL;
  /** Where the provider sends people after logging out: `<public>/k8s/`. */
  postLogoutRedirectUri: URL;
}

export interface HostSsoConfig {
  issuer: string;
  audience: string;
  jwksUrl: URL;
}

export interface SsoConfig {
  oidc: OidcConfig | undefined;
  host: HostSsoConfig | undefined;
  /** Shared with auth: cookies without `Secure`, for local development over plain http only. */
  insecureCookies: boolean;
  /** Shared with auth: how long the OIDC id token is kept for logout. */
  sessionMaxDays: number;
}

export const oidcCallbackPath = '/k8s-api/v1/auth/oidc/callback';

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or http on a loopback address (a provider in development or tests). */
function secureUrl(env: Env, name: string): URL | undefined {
  const parsed = url(env, name, { protocols: ['https:', 'http:'] });
  if (parsed?.protocol === 'http:' && !loopback.has(parsed.hostname)) {
    throw new ConfigError(`${name} must use https: (http: only on a loopback address)`);
  }
  return parsed;
}

function allOrNone(env: Env, names: readonly string[]): boolean {
  const set = names.filter((name) => optionalString(env, name) !== undefined);
  if (set.length === 0) return false;
  if (set.length < names.length) {
    const missing = names.filter((name) => !set.includes(name));
    throw new ConfigError(`${missing.join(', ')} must be set too, since ${set.join(', ')} is set`);
  }
  return true;
}

function loadOidc(env: Env): OidcConfig | undefined {
  if (!allOrNone(env, ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'])) return undefined;
  const publicUrl = url(env, 'BINNACLE_PUBLIC_URL', { protocols: ['https:', 'http:'] });
  if (publicUrl === undefined) {
    throw new ConfigError('BINNACLE_PUBLIC_URL must be set for OIDC sign-in (the redirect URI)');
  }
  const issuer = secureUrl(env, 'OIDC_ISSUER');
  if (issuer === undefined) throw new ConfigError('OIDC_ISSUER must be set');
  const origin = publicUrl.origin;
  return {
    issuer,
    clientId: string(env, 'OIDC_CLIENT_ID', ''),
    clientSecret: new Secret(string(env, 'OIDC_CLIENT_SECRET', '')),
    scopes: string(env, 'OIDC_SCOPES', 'openid profile email groups'),
    groupsClaim: string(env, 'OIDC_GROUPS_CLAIM', 'groups'),
    displayName: optionalString(env, 'OIDC_DISPLAY_NAME'),
    redirectUri: new URL(oidcCallbackPath, origin),
    postLogoutRedirectUri: new URL('/k8s/', origin),
  };
}

function loadHost(env: Env): HostSsoConfig | undefined {
  if (!allOrNone(env, ['HOST_SSO_ISSUER', 'HOST_SSO_AUDIENCE', 'HOST_SSO_JWKS_URL'])) {
    return undefined;
  }
  const jwksUrl = secureUrl(env, 'HOST_SSO_JWKS_URL');
  if (jwksUrl === undefined) throw new ConfigError('HOST_SSO_JWKS_URL must be set');
  return {
    issuer: string(env, 'HOST_SSO_ISSUER', ''),
    audience: string(env, 'HOST_SSO_AUDIENCE', ''),
    jwksUrl,
  };
}

export function loadSsoConfig(env: Env): SsoConfig {
  const { insecureCookies, sessionMaxDays } = loadAuthConfig(env);
  return { oidc: loadOidc(env), host: loadHost(env), insecureCookies, sessionMaxDays };
}
