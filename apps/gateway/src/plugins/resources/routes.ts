// The resource routes, one set per registry entry (no kind is named here): list and get for every
// kind, delete where the entry's verbs include it, scale where they include `scale`.
//
//   GET    /k8s-api/v1/clusters/:cluster/resources/<key>                  list (rbac list)
//   GET    /k8s-api/v1/clusters/:cluster/resources/<key>/:name            get (rbac get)
//   DELETE /k8s-api/v1/clusters/:cluster/resources/<key>/:name            delete (rbac delete)
//   PUT    /k8s-api/v1/clusters/:cluster/resources/<key>/:name/scale      scale (rbac update)
//
// Namespaced kinds take `?namespace=`; a list without one covers every namespace.
import {
  KubeObjectSchema,
  ListQuerySchema,
  ListResponseSchema,
  ObjectQuerySchema,
  resourcePaths,
  ScaleBodySchema,
  ScaleResponseSchema,
} from '@binnacle/contract';
import type { KubeObject as WireObject } from '@binnacle/kube';
import { rbacResource, registry, resourceKey, type ResourceEntry } from '@binnacle/resources';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuthUser } from '../auth/types.js';
import { HttpError } from '../errors/index.js';
import { fromParam } from '../rbac/index.js';
import type { InformerHub, InformerView } from './informers.js';
import { kube } from '../errors/index.js';
import { listPlan, runList, type ListPlan } from './query.js';
import { collectionParams, namespacePattern, objectParams } from './schemas.js';
import { toCached } from './shared.js';

export interface RoutesOptions {
  hub: InformerHub;
  /** Longest wait for a fresh informer's first list before the request fails. */
  syncTimeoutMs: number;
}

/** The namespace of the query string ('' when none is given). */
function queryNamespace(request: FastifyRequest): string {
  const value: unknown = Reflect.get(request.query ?? {}, 'namespace');
  return typeof value === 'string' ? value : '';
}

/**
 * Refuses, before anything else runs, a namespace on a cluster-scoped kind, a namespace that
 * cannot be one, and (for one object of a namespaced kind) a missing namespace.
 */
function scopeCheck(entry: ResourceEntry, needsNamespace: boolean) {
  return (request: FastifyRequest): Promise<void> => {
    const namespace = queryNamespace(request);
    if (namespace !== '' && !entry.namespaced) {
      throw HttpError.badRequest(
        `${entry.title.en} are not namespaced; leave out the namespace parameter.`,
      );
    }
    if (namespace !== '' && (namespace.length > 63 || !namespacePattern.test(namespace))) {
      throw HttpError.badRequest(`"${namespace}" is not a valid namespace name.`);
    }
    if (namespace === '' && needsNamespace && entry.namespaced) {
      throw HttpError.badRequest(
        `${entry.title.en} are namespaced; add the namespace parameter (?namespace=…).`,
      );
    }
    return Promise.resolve();
  };
}

/** What a route checks the person against: the namespace, '*' for a list of every namespace. */
function rbacOf(entry: ResourceEntry, verb: string, allNamespaces: boolean) {
  return {
    resource: rbacResource(entry),
    verb,
    cluster: fromParam('cluster'),
    namespace: (request: FastifyRequest) => {
      if (!entry.namespaced) return '';
      const namespace = queryNamespace(request);
      return namespace === '' && allNamespaces ? '*' : namespace;
    },
  };
}

function caller(request: FastifyRequest): AuthUser {
  if (request.user === undefined) throw HttpError.unauthorized('Sign in first.');
  return request.user;
}

export async function synced(informer: InformerView, timeoutMs: number): Promise<void> {
  if (informer.isSynced()) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        HttpError.gatewayTimeout(
          `The cluster did not send the list within ${String(Math.round(timeoutMs / 1000))} s.`,
        ),
      );
    }, timeoutMs);
  });
  try {
    await Promise.race([informer.synced, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// resourcePaths encodes what it is given; the route patterns put the parameter names back.
const pattern = (path: string): string =>
  path
    .replace(encodeURIComponent(':cluster'), ':cluster')
    .replace(encodeURIComponent(':name'), ':name');

export default function routes(app: FastifyInstance, options: RoutesOptions): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { hub, syncTimeoutMs } = options;

  async function list(
    scope: { cluster: string; entry: ResourceEntry; namespace: string },
    plan: ListPlan,
  ) {
    const namespace = scope.namespace === '' ? undefined : scope.namespace;
    // A running informer over every namespace serves one namespace's list too.
    const wide = namespace === undefined ? undefined : hub.find({ ...scope, namespace: undefined });
    if (wide?.isSynced() === true) return runList(plan, wide.objects());
    const lease = await hub.acquire({ ...scope, namespace });
    try {
      await synced(lease.informer, syncTimeoutMs);
      return runList(plan, lease.informer.objects());
    } finally {
      lease.release();
    }
  }

  for (const entry of registry) {
    const key = resourceKey(entry);
    const collection = pattern(resourcePaths.collection(':cluster', key));
    const object = pattern(resourcePaths.object(':cluster', key, ':name'));
    const notFound = (name: string, namespace: string) =>
      HttpError.notFound(
        `No ${entry.kind} named "${name}"${namespace === '' ? '' : ` in namespace "${namespace}"`}.`,
      );

    api.get(
      collection,
      {
        config: { rbac: rbacOf(entry, 'list', true) },
        preValidation: scopeCheck(entry, false),
        schema: {
          params: collectionParams,
          querystring: ListQuerySchema,
          response: { 200: ListResponseSchema },
        },
      },
      async (request) => {
        const plan = listPlan(entry, request.query);
        const namespace = entry.namespaced ? (request.query.namespace ?? '') : '';
        return list({ cluster: request.params.cluster, entry, namespace }, plan);
      },
    );

    api.get(
      object,
      {
        config: { rbac: rbacOf(entry, 'get', false) },
        preValidation: scopeCheck(entry, true),
        schema: {
          params: objectParams,
          querystring: ObjectQuerySchema,
          response: { 200: KubeObjectSchema },
        },
      },
      async (request) => {
        const { cluster, name } = request.params;
        const namespace = entry.namespaced ? (request.query.namespace ?? '') : '';
        // Served from a running informer's cache when one holds this scope.
        const cached =
          hub.find({ cluster, entry, namespace }) ?? hub.find({ cluster, entry, namespace: '' });
        if (cached?.isSynced() === true) {
          const found = cached.get(name, namespace);
          if (found === undefined) throw notFound(name, namespace);
          return found;
        }
        const client = await app.clusters.clientFor(cluster, caller(request));
        const ref = namespace === '' ? { name } : { name, namespace };
        return toCached(await kube(() => client.get(entry, ref)));
      },
    );

    if (entry.verbs.includes('delete')) {
      api.delete(
        object,
        {
          config: { rbac: rbacOf(entry, 'delete', false) },
          preValidation: scopeCheck(entry, true),
          schema: {
            params: objectParams,
            querystring: ObjectQuerySchema,
            response: { 204: Type.Null() },
          },
        },
        async (request, reply) => {
          const { cluster, name } = request.params;
          const namespace = entry.namespaced ? (request.query.namespace ?? '') : '';
          const client = await app.clusters.clientFor(cluster, caller(request));
          await kube(() => client.delete(entry, namespace === '' ? { name } : { name, namespace }));
          return reply.status(204).send(null);
        },
      );
    }

    if (entry.verbs.includes('scale')) {
      // Changing the replica count is an update of the workload (Kubernetes checks `update` or
      // `patch` on its scale subresource; the gateway asks for `update` on the resource).
      api.put(
        pattern(resourcePaths.scale(':cluster', key, ':name')),
        {
          config: { rbac: rbacOf(entry, 'update', false) },
          preValidation: scopeCheck(entry, true),
          schema: {
            params: objectParams,
            querystring: ObjectQuerySchema,
            body: ScaleBodySchema,
            response: { 200: ScaleResponseSchema },
          },
        },
        async (request) => {
          const { cluster, name } = request.params;
          const namespace = request.query.namespace ?? '';
          const { replicas } = request.body;
          const client = await app.clusters.clientFor(cluster, caller(request));
          const scale = await kube(() =>
            client.patch<WireObject & { spec?: { replicas?: number } }>(
              entry,
              { name, namespace, subresource: 'scale' },
              { spec: { replicas } },
              { type: 'merge' },
            ),
          );
          return { replicas: scale.spec?.replicas ?? replicas };
        },
      );
    }
  }
}
