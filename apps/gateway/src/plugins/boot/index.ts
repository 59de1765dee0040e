// Boot checks that no route can skip: registered before every plugin with routes, so onRoute sees
// them all, and thrown from onReady, so `app.ready()` rejects and names every offending route.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { RouteSchemaError, schemaProblems } from './check.js';

export { RouteSchemaError, schemaProblems } from './check.js';

function boot(app: FastifyInstance): Promise<void> {
  const problems: string[] = [];
  app.addHook('onRoute', (route) => {
    problems.push(...schemaProblems(route));
  });
  app.addHook('onReady', () =>
    problems.length === 0
      ? Promise.resolve()
      : Promise.reject(new RouteSchemaError(problems.join('\n'))),
  );
  return Promise.resolve();
}

export default fp(boot, { name: 'boot', fastify: '5.x' });
