// The permission checks: at boot, every /k8s-api/v1 route must declare `config.rbac`; per request,
// `authorize` runs before the handler (and before a WebSocket upgrade) and refuses with 401 or 403.
import type { FastifyRequest, RouteOptions } from 'fastify';
import { HttpError } from '../errors/index.js';
import { describePlace, gatewayResources, verbs, type AccessRequest } from './policy.js';
import type { RouteRbac } from './types.js';

export const apiPrefix = '/k8s-api/v1';

const knownVerbs: ReadonlySet<string> = new Set(verbs);
const gatewayOnly: ReadonlySet<string> = new Set(gatewayResources);
const concreteResource = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why an API route may not be served as declared; undefined when it may. */
export function routeProblem(
  route: Pick<RouteOptions, 'method' | 'url' | 'config'>,
): string | undefined {
  const where = `${[route.method].flat().join(',')} ${route.url}`;
  const rbac: RouteRbac | undefined = route.config?.rbac;
  if (rbac === undefined) {
    return route.url.startsWith(apiPrefix)
      ? `route ${where} declares no config.rbac: every ${apiPrefix} route must say who may call it ({ public: true }, { authenticated: true } or { resource, verb })`
      : undefined;
  }
  if ('public' in rbac || 'authenticated' in rbac) return undefined;
  if (!knownVerbs.has(rbac.verb)) {
    return `route ${where} declares verb "${rbac.verb}"; use one of ${verbs.join(', ')}`;
  }
  if (!concreteResource.test(rbac.resource)) {
    return `route ${where} declares resource "${rbac.resource}"; use one resource like "pods" or "apps/deployments"`;
  }
  if (gatewayOnly.has(rbac.resource) && rbac.cluster !== undefined) {
    return `route ${where} checks the gateway resource "${rbac.resource}" in a cluster; gateway resources are checked at gateway scope, so declare no cluster`;
  }
  return undefined;
}

/** The boot stops on routes that do not say who may call them. */
export class RouteRbacError extends Error {
  override name = 'RouteRbacError';
}

/** What a route with `{ resource, verb }` asks for on this request; undefined for other routes. */
export function accessOf(request: FastifyRequest): AccessRequest | undefined {
  const rbac = request.routeOptions.config.rbac;
  if (rbac === undefined || 'public' in rbac || 'authenticated' in rbac) return undefined;
  return {
    cluster: rbac.cluster?.(request) ?? '',
    namespace: rbac.namespace?.(request) ?? '',
    resource: rbac.resource,
    verb: rbac.verb,
  };
}

// A WebSocket route may authorize in preValidation; the preHandler then does not ask again.
const authorized = new WeakSet<FastifyRequest>();

/**
 * Refuses the request unless its route's `config.rbac` lets this user in: 401 without a user on a
 * non-public route, 403 when the roles do not allow it. Routes outside the API without
 * `config.rbac` (health checks, static files) pass.
 */
export async function authorize(request: FastifyRequest): Promise<void> {
  if (authorized.has(request)) return;
  const rbac = request.routeOptions.config.rbac;
  if (rbac === undefined || 'public' in rbac) {
    authorized.add(request);
    return;
  }
  const { rbac: service } = request.server;
  const access = accessOf(request);
  if (request.user === undefined) {
    service.refused({ request, status: 401, access });
    throw HttpError.unauthorized('Sign in first.');
  }
  if (access !== undefined && !(await service.can(request.user, access))) {
    service.refused({ request, status: 403, access });
    throw HttpError.forbidden(
      `You may not ${access.verb} ${access.resource}${describePlace(access)}.`,
    );
  }
  authorized.add(request);
}

/** For `config.rbac.cluster` / `.namespace`: a route parameter. */
export function fromParam(name: string): (request: FastifyRequest) => string | undefined {
  return (request) => stringField(request.params, name);
}

/** For `config.rbac.cluster` / `.namespace`: a query-string parameter. */
export function fromQuery(name: string): (request: FastifyRequest) => string | undefined {
  return (request) => stringField(request.query, name);
}

function stringField(source: unknown, name: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value: unknown = Reflect.get(source, name);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
