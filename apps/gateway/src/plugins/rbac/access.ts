// What the signed-in user may do: /k8s-api/v1/access (the UI hides what it may not) and
// /k8s-api/v1/access/review (one question, one answer with the reason).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors/index.js';
import { apiPrefix } from './enforce.js';
import { appliesTo, evaluate, gatewayResources, verbs } from './policy.js';
import { accessAnswer, accessQuery, reviewAnswer, reviewInput } from './schemas.js';
import type { AuthUser } from './types.js';

// Asked about when the caller names no resources. The UI should name the ones its registry shows;
// this default only keeps a bare call useful.
const commonResources = [
  'pods',
  'services',
  'configmaps',
  'secrets',
  'persistentvolumeclaims',
  'events',
  'namespaces',
  'nodes',
  'apps/deployments',
  'apps/statefulsets',
  'apps/daemonsets',
  'apps/replicasets',
  'batch/jobs',
  'batch/cronjobs',
  'networking.k8s.io/ingresses',
];

const signedIn = { rbac: { authenticated: true as const } };

export default function accessRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    `${apiPrefix}/access`,
    { config: signedIn, schema: { querystring: accessQuery, response: { 200: accessAnswer } } },
    async (request) => {
      const user = signedInUser(request.user);
      const cluster = request.query.cluster ?? '';
      const namespace = request.query.namespace ?? '';
      const asked = request.query.resources
        ?.split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      const resources = asked ?? (cluster === '' ? [...gatewayResources] : commonResources);
      const held = await app.rbac.rulesFor(user);
      // fromEntries: a resource named "__proto__" becomes a key, not a prototype.
      const can = Object.fromEntries(
        resources.map((resource) => [
          resource,
          verbs.filter(
            (verb) => evaluate(held, { cluster, namespace, resource, verb }) === 'allow',
          ),
        ]),
      );
      const rules = held.filter((rule) => appliesTo(rule, { cluster, namespace }));
      return { cluster, namespace, rules, can };
    },
  );

  api.post(
    `${apiPrefix}/access/review`,
    {
      // A question, not a change: kept out of the audit record.
      config: { ...signedIn, audit: false },
      schema: { body: reviewInput, response: { 200: reviewAnswer } },
    },
    async (request) => {
      const { allowed, reason } = await app.rbac.review(signedInUser(request.user), request.body);
      return { allowed, reason };
    },
  );
}

// The permission hook has already refused anonymous calls; this narrows the type.
function signedInUser(user: AuthUser | undefined): AuthUser {
  if (user === undefined) throw HttpError.unauthorized('Sign in first.');
  return user;
}
