// Limits on what a caller can push: request rates, request and upstream timeouts, and the audit
// rows that anonymous requests may leave. Every limit answers 429 (or 408/413) with its name.
import { integer, type Env } from './env.js';

export interface LimitsConfig {
  /** The window of the request rate limits, in seconds. */
  rateLimitWindowSeconds: number;
  /** Requests per signed-in person per window (all their sessions and tokens together). */
  rateLimitPerPerson: number;
  /** Requests without a credential per client address per window. */
  rateLimitAnonymous: number;
  /** Time a client has to send a whole request (headers and body), in seconds. */
  requestTimeoutSeconds: number;
  /** A connection that sends and receives nothing for this long is closed, in seconds. */
  connectionTimeoutSeconds: number;
  /** A call to a cluster's API server that does not answer within this is given up, in seconds. */
  upstreamTimeoutSeconds: number;
  /** Audit rows of anonymous requests (refused sign-ins, refused calls) per address per window. */
  auditAnonymousPerAddress: number;
  auditAnonymousWindowSeconds: number;
}

export function loadLimitsConfig(env: Env): LimitsConfig {
  return {
    rateLimitWindowSeconds: integer(env, {
      name: 'BINNACLE_RATE_LIMIT_WINDOW_SECONDS',
      fallback: 60,
      min: 1,
      max: 3600,
    }),
    rateLimitPerPerson: integer(env, {
      name: 'BINNACLE_RATE_LIMIT_PER_PERSON',
      fallback: 1200,
      min: 1,
      max: 1_000_000,
    }),
    rateLimitAnonymous: integer(env, {
      name: 'BINNACLE_RATE_LIMIT_ANONYMOUS',
      fallback: 300,
      min: 1,
      max: 1_000_000,
    }),
    requestTimeoutSeconds: integer(env, {
      name: 'BINNACLE_REQUEST_TIMEOUT_SECONDS',
      fallback: 30,
      min: 1,
      max: 3600,
    }),
    connectionTimeoutSeconds: integer(env, {
      name: 'BINNACLE_CONNECTION_TIMEOUT_SECONDS',
      fallback: 120,
      min: 1,
      max: 86_400,
    }),
    upstreamTimeoutSeconds: integer(env, {
      name: 'BINNACLE_UPSTREAM_TIMEOUT_SECONDS',
      fallback: 30,
      min: 1,
      max: 600,
    }),
    auditAnonymousPerAddress: integer(env, {
      name: 'BINNACLE_AUDIT_ANONYMOUS_PER_ADDRESS',
      fallback: 60,
      min: 1,
      max: 1_000_000,
    }),
    auditAnonymousWindowSeconds: integer(env, {
      name: 'BINNACLE_AUDIT_ANONYMOUS_WINDOW_SECONDS',
      fallback: 600,
      min: 10,
      max: 86_400,
    }),
  };
}
