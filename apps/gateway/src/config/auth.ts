// Sign-in and sessions: the first administrator, token lifetimes, the refresh cookie, WebSocket
// origins and the login limits.
import { inspect } from 'node:util';
import { normalizeUsername, passwordProblem, usernameRule } from '../plugins/auth/credentials.js';
import { boolean, ConfigError, integer, optionalString, string, type Env } from './env.js';
import { loadSecurityConfig } from './security.js';

/** A value that stays out of JSON, logs and `util.inspect`. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return 'Secret { [secret] }';
  }
}

/** In-memory, so per replica: each gateway replica counts the attempts it sees. */
export interface LoginLimits {
  windowSeconds: number;
  /** Attempts per username and client address in one window. */
  maxPerUserAndIp: number;
  /** Attempts per client address in one window, whatever the username. */
  maxPerIp: number;
  /** Consecutive failures that lock an account. */
  lockoutFailures: number;
  lockoutMinutes: number;
}

export interface AuthConfig {
  /** Created with this username when the store holds no user at all. */
  adminUsername: string;
  /** The first administrator's password; a random one is printed once when unset. */
  adminPassword: Secret | undefined;
  /** Refresh cookie without `Secure`, for local development over plain http only. */
  insecureCookies: boolean;
  /** Origins allowed to open WebSockets besides the gateway's own (shared with CORS). */
  allowedOrigins: readonly string[];
  accessTokenTtlSeconds: number;
  /** A session ends after this long without a refresh... */
  sessionIdleHours: number;
  /** ...and after this long in any case. */
  sessionMaxDays: number;
  login: LoginLimits;
}

export function loadAuthConfig(env: Env): AuthConfig {
  const rawAdmin = string(env, 'BINNACLE_ADMIN_USER', 'admin');
  const adminUsername = normalizeUsername(rawAdmin);
  if (adminUsername === undefined) {
    throw new ConfigError(`BINNACLE_ADMIN_USER is not a valid username: ${usernameRule}`);
  }
  const password = optionalString(env, 'BINNACLE_ADMIN_PASSWORD');
  const problem = password === undefined ? undefined : passwordProblem(password, adminUsername);
  if (problem !== undefined) {
    // The message names the rule, never the value.
    throw new ConfigError(
      `BINNACLE_ADMIN_PASSWORD is refused: ${problem} Unset it to get a generated one.`,
    );
  }
  return {
    adminUsername,
    adminPassword: password === undefined ? undefined : new Secret(password),
    insecureCookies: boolean(env, 'BINNACLE_INSECURE_COOKIES', false),
    allowedOrigins: loadSecurityConfig(env).allowedOrigins,
    accessTokenTtlSeconds: integer(env, {
      name: 'BINNACLE_ACCESS_TOKEN_TTL_SECONDS',
      fallback: 600,
      min: 60,
      max: 3600,
    }),
    sessionIdleHours: integer(env, {
      name: 'BINNACLE_SESSION_IDLE_HOURS',
      fallback: 7 * 24,
      min: 1,
      max: 90 * 24,
    }),
    sessionMaxDays: integer(env, {
      name: 'BINNACLE_SESSION_MAX_DAYS',
      fallback: 30,
      min: 1,
      max: 365,
    }),
    login: {
      windowSeconds: integer(env, {
        name: 'BINNACLE_LOGIN_WINDOW_SECONDS',
        fallback: 300,
        min: 10,
        max: 86_400,
      }),
      maxPerUserAndIp: integer(env, {
        name: 'BINNACLE_LOGIN_MAX_ATTEMPTS',
        fallback: 10,
        min: 1,
        max: 10_000,
      }),
      maxPerIp: integer(env, {
        name: 'BINNACLE_LOGIN_MAX_ATTEMPTS_PER_IP',
        fallback: 50,
        min: 1,
        max: 100_000,
      }),
      lockoutFailures: integer(env, {
        name: 'BINNACLE_LOCKOUT_FAILURES',
        fallback: 5,
        min: 1,
        max: 1000,
      }),
      lockoutMinutes: integer(env, {
        name: 'BINNACLE_LOCKOUT_MINUTES',
        fallback: 15,
        min: 1,
        max: 24 * 60,
      }),
    },
  };
}
