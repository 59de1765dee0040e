// `app.rbac`: the rules a user holds (cached for a few seconds) and decisions on them.
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { accessOf } from './enforce.js';
import { decide, describePlace, type AccessRequest, type Decision } from './policy.js';
import type { GrantedRule, RolesStore } from './store.js';
import type { AuthUser } from './types.js';

/** What `can` and `review` take: a missing cluster or namespace means '' (none). */
export interface AccessQuery {
  cluster?: string | undefined;
  namespace?: string | undefined;
  resource: string;
  verb: string;
}

export interface Review {
  allowed: boolean;
  decision: Decision;
  /** For people: which role decided, or that none grants it. */
  reason: string;
}

/** A request the permission hook refused, for whoever records them (the audit plugin). */
export interface Refusal {
  request: FastifyRequest;
  status: 401 | 403;
  access: AccessRequest | undefined;
}

export interface Rbac {
  /** The rules of every role bound to the user or their groups; cached per user for a few seconds. */
  rulesFor(user: AuthUser): Promise<readonly GrantedRule[]>;
  can(user: AuthUser | undefined, query: AccessQuery): Promise<boolean>;
  review(user: AuthUser | undefined, query: AccessQuery): Promise<Review>;
  /** Forget every cached rule set; called on each role or binding change. */
  invalidate(): void;
  /** What a `{ resource, verb }` route asks for on this request; undefined for other routes. */
  accessOf(request: FastifyRequest): AccessRequest | undefined;
  /** Subscribes to refusals of the permission hook; returns the unsubscribe function. */
  onRefused(listener: (refusal: Refusal) => void): () => void;
  /** Tells the subscribers; the permission hook calls it. */
  refused(refusal: Refusal): void;
}

export interface RbacOptions {
  store: RolesStore;
  log: FastifyBaseLogger;
  /** How long a user's rules are reused; other replicas see a change after at most this long. */
  cacheTtlMs: number;
  /** Cached users beyond this evict the oldest. */
  cacheMax?: number;
  now?: () => number;
}

export function toAccess(query: AccessQuery): AccessRequest {
  return {
    cluster: query.cluster ?? '',
    namespace: query.namespace ?? '',
    resource: query.resource,
    verb: query.verb,
  };
}

export function createRbac(options: RbacOptions): Rbac {
  const { store, log, cacheTtlMs, cacheMax = 5000, now = Date.now } = options;
  const cache = new Map<string, { expires: number; rules: Promise<readonly GrantedRule[]> }>();
  const listeners = new Set<(refusal: Refusal) => void>();

  const load = async (user: AuthUser): Promise<readonly GrantedRule[]> => {
    const { rules, corrupt } = await store.rulesFor(user);
    if (corrupt.length > 0) {
      log.error({ roles: corrupt }, 'roles with unreadable rules were left out of a user’s rules');
    }
    return rules;
  };

  const rulesFor = (user: AuthUser): Promise<readonly GrantedRule[]> => {
    const key = [user.username, ...[...user.groups].sort()].join('\u0000');
    const at = now();
    const hit = cache.get(key);
    if (hit !== undefined && hit.expires > at) return hit.rules;
    if (hit !== undefined) cache.delete(key);
    // The promise is cached, so concurrent requests share one query; a failure is not kept.
    const rules = load(user);
    cache.set(key, { expires: at + cacheTtlMs, rules });
    rules.catch(() => {
      if (cache.get(key)?.rules === rules) cache.delete(key);
    });
    if (cache.size > cacheMax) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    return rules;
  };

  const review = async (user: AuthUser | undefined, query: AccessQuery): Promise<Review> => {
    const access = toAccess(query);
    if (user === undefined) return { allowed: false, decision: 'none', reason: 'not signed in' };
    const { decision, rule } = decide(await rulesFor(user), access);
    const what = `${access.verb} ${access.resource}${describePlace(access)}`;
    const reason =
      rule === undefined
        ? `no role of ${user.username} allows ${what}`
        : `${decision === 'allow' ? 'allowed' : 'denied'} by role "${rule.role}"`;
    return { allowed: decision === 'allow', decision, reason };
  };

  return {
    rulesFor,
    review,
    accessOf,
    can: async (user, query) => (await review(user, query)).allowed,
    invalidate: () => {
      cache.clear();
    },
    onRefused: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refused: (refusal) => {
      for (const listener of listeners) {
        try {
          listener(refusal);
        } catch (err) {
          log.error({ err }, 'a refusal listener failed');
        }
      }
    },
  };
}
