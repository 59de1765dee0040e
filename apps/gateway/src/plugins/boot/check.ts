// The boot's checks on every API route, beside rbac's: each route says what it takes and what it
// answers with a schema, so nothing reaches a handler unchecked and the OpenAPI document is whole.
import type { RouteOptions } from 'fastify';

const apiPrefix = '/k8s-api/v1';
// A POST without a body schema gets `unknown` from the type provider, so only PUT and PATCH must say.
const withBody: ReadonlySet<string> = new Set(['PUT', 'PATCH']);

type Route = Pick<RouteOptions, 'method' | 'url' | 'schema'> & { websocket?: boolean };

/** What is missing from an API route's schema; an empty list when nothing is. */
export function schemaProblems(route: Route): string[] {
  if (!route.url.startsWith(apiPrefix)) return [];
  const methods = [route.method].flat();
  if (methods.every((method) => method === 'HEAD')) return [];
  const where = `route ${methods.join(',')} ${route.url}`;
  const schema = route.schema ?? {};
  const missing: string[] = [];
  if (route.url.includes(':') && schema.params === undefined) missing.push('params');
  if (route.websocket === true) {
    // Tickets travel in the query string: the upgrade's query must be described.
    if (schema.querystring === undefined) missing.push('querystring');
  } else {
    if (methods.some((method) => withBody.has(method)) && schema.body === undefined) {
      missing.push('body');
    }
    if (schema.response === undefined) missing.push('response');
  }
  return missing.length === 0
    ? []
    : [
        `${where} declares no ${missing.join(', ')} schema: every ${apiPrefix} route describes what it takes and answers`,
      ];
}

/** The boot stops on routes without schemas. */
export class RouteSchemaError extends Error {
  override name = 'RouteSchemaError';
}
