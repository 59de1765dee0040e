// Roles, bindings and the permission hook. Register it after auth (which sets request.user) and
// before any plugin with routes, so its onRoute check sees every route.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import accessRoutes from './access.js';
import { seedBuiltins } from './builtin.js';
import { authorize, routeProblem, RouteRbacError } from './enforce.js';
import routes from './routes.js';
import { createRbac, type Rbac } from './service.js';
import { rolesStore } from './store.js';

export { adminGroup, builtinRoles } from './builtin.js';
export { accessOf, apiPrefix, authorize, fromParam, fromQuery, RouteRbacError } from './enforce.js';
export { evaluate, gatewayResources, verbs } from './policy.js';
export type { AccessRequest, Decision, Effect, Rule, Verb } from './policy.js';
export type { AccessQuery, Rbac, Refusal, Review } from './service.js';
export type { GrantedRule } from './store.js';
export type { AuthUser, RbacExtractor, RouteRbac } from './types.js';

declare module 'fastify' {
  interface FastifyInstance {
    rbac: Rbac;
  }
}

export interface RbacPluginOptions {
  /** How long a user's rules are reused (default 5 s); other replicas see changes this late. */
  cacheTtlMs?: number;
}

async function rbac(app: FastifyInstance, options: RbacPluginOptions): Promise<void> {
  // Collected, then thrown from onReady: a throw inside onRoute escapes a plugin that is not async
  // as an uncaught exception, while this way `app.ready()` rejects and names every such route.
  const problems: string[] = [];
  app.addHook('onRoute', (route) => {
    const problem = routeProblem(route);
    if (problem !== undefined) problems.push(problem);
  });
  app.addHook('onReady', () => {
    if (problems.length === 0) return Promise.resolve();
    return Promise.reject(new RouteRbacError(problems.join('\n')));
  });
  const store = rolesStore(app.db);
  await seedBuiltins(app.db, Date.now());
  app.decorate('rbac', createRbac({ store, log: app.log, cacheTtlMs: options.cacheTtlMs ?? 5000 }));
  // Before the body is read or validated, so that a stranger (or a person without the permission)
  // gets 401/403, never a 400 describing the route. WebSocket upgrades authorize in the sockets
  // guard (the ticket is read there); the preHandler is the net for any route that has no guard.
  app.addHook('preParsing', async (request) => {
    if (!request.ws) await authorize(request);
  });
  app.addHook('preHandler', authorize);
  routes(app, store);
  accessRoutes(app);
}

export default fp(rbac, { name: 'rbac', dependencies: ['db'], fastify: '5.x' });
