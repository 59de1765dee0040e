import { integer, list, type Env, ConfigError } from './env.js';

export interface SecurityConfig {
  /** Origins (scheme://host[:port]) allowed for CORS and WebSocket upgrades besides our own. */
  allowedOrigins: string[];
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /**
   * Trust X-Forwarded-* from this many proxies in front (nginx: 1), so that client addresses (for
   * sign-in limits and logs) and the scheme (for same-origin WebSocket checks) are the real ones.
   */
  trustProxyHops: number;
}

function origin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `BINNACLE_ALLOWED_ORIGINS must list origins like https://portal.example.com, got "${value}"`,
    );
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.pathname !== '/' ||
    url.search !== ''
  ) {
    throw new ConfigError(
      `BINNACLE_ALLOWED_ORIGINS must list origins like https://portal.example.com, got "${value}"`,
    );
  }
  return url.origin;
}

export function loadSecurityConfig(env: Env): SecurityConfig {
  return {
    allowedOrigins: list(env, 'BINNACLE_ALLOWED_ORIGINS').map(origin),
    trustProxyHops: integer(env, {
      name: 'BINNACLE_TRUST_PROXY_HOPS',
      fallback: 0,
      min: 0,
      max: 10,
    }),
    bodyLimit: integer(env, {
      name: 'BINNACLE_BODY_LIMIT',
      fallback: 2 * 1024 * 1024,
      min: 1024,
      max: 64 * 1024 * 1024,
    }),
  };
}
