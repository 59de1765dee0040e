// The auth plugin's contract with the rest of the gateway: who is calling, and what each route
// declares for authorization (the rbac plugin enforces it; the auth plugin only declares its own).
import type { FastifyRequest } from 'fastify';

export type AuthSource = 'local' | 'oidc' | 'host';

/** The person behind a request, set by the auth plugin's onRequest hook as `request.user`. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  groups: string[];
  source: AuthSource;
  /** `session`: a browser's access token; `token`: a personal access token. */
  via: 'session' | 'token';
}

/** Reads a cluster id or namespace from a request, for per-cluster or per-namespace rules. */
export type RbacExtractor = (request: FastifyRequest) => string | undefined;

/** What a route declares in `config.rbac`. */
export type RouteRbac =
  /** Anyone, signed in or not; the auth hook does not even read the credential. */
  | { public: true }
  /** Any signed-in person. */
  | { authenticated: true }
  /** A person allowed `verb` on `resource`, optionally in a cluster and namespace. */
  | { resource: string; verb: string; cluster?: RbacExtractor; namespace?: RbacExtractor };

export type AuthEventType = 'login' | 'login-failed' | 'logout' | 'refresh-reuse';

/** Emitted on `app.authEvents` under the event name `authEventName`. Never carries secrets. */
export interface AuthEvent {
  type: AuthEventType;
  username: string;
  userId?: string;
  ip: string;
  /** The gateway's id of the request that caused it. */
  requestId?: string;
  /** How the person signed in or tried to, when not with a password ('oidc', 'host'). */
  method?: 'oidc' | 'host';
  /** Why a sign-in failed. */
  reason?:
    | 'bad-credentials'
    | 'disabled'
    | 'locked'
    | 'rate-limited'
    /** An SSO sign-in that did not complete: the provider's answer or its claims were refused. */
    | 'sso-refused';
}

export const authEventName = 'auth';

/** What login, refresh and `issueSessionFor` answer. */
export interface SessionGrant {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: AuthUser;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    rbac?: RouteRbac;
  }
}
