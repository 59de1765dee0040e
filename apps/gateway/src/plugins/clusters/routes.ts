// /k8s-api/v1/clusters: list, read, rename or change the identity mode, delete. Adding is in
// routes-add.ts. No answer carries a credential.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from './clients.js';
import { nameTaken, revoke, view, type ClustersContext } from './context.js';
import { addRoutes } from './routes-add.js';
import { clusterList, clusterView, idParams, patchBody } from './schemas.js';
import {
  deleteCluster,
  findCluster,
  isUniqueViolation,
  listClusters,
  updateCluster,
} from './store.js';

const base = '/k8s-api/v1/clusters';
const clusters = (verb: string) => ({ rbac: { resource: 'clusters', verb } });

export default function routes(context: ClustersContext): void {
  const { app, clients, monitor } = context;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    base,
    { config: clusters('list'), schema: { response: { 200: clusterList } } },
    async () => ({ items: (await listClusters(app.db)).map((record) => view(context, record)) }),
  );

  api.get(
    `${base}/:id`,
    { config: clusters('get'), schema: { params: idParams, response: { 200: clusterView } } },
    async (request) => {
      const record = await findCluster(app.db, request.params.id);
      if (record === undefined) throw notFound(request.params.id);
      return view(context, record);
    },
  );

  api.patch(
    `${base}/:id`,
    {
      config: clusters('update'),
      schema: { params: idParams, body: patchBody, response: { 200: clusterView } },
    },
    async (request) => {
      const { id } = request.params;
      const { name, identityMode } = request.body;
      let found: boolean;
      try {
        found = await updateCluster(app.db, id, { name, identityMode, now: Date.now() });
      } catch (err) {
        if (name !== undefined && isUniqueViolation(err)) throw nameTaken([name]);
        throw err;
      }
      if (!found) throw notFound(id);
      // connections on the cluster close (with their reason) before its client goes
      await revoke(context, {
        cause: 'cluster-changed',
        clusterId: id,
        by: request.user?.username,
      });
      await clients.drop(id);
      const record = await findCluster(app.db, id);
      if (record === undefined) throw notFound(id);
      request.log.info({ clusterId: id, fields: Object.keys(request.body) }, 'cluster updated');
      return view(context, record);
    },
  );

  api.delete(
    `${base}/:id`,
    {
      config: clusters('delete'),
      schema: { params: idParams, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await deleteCluster(app.db, id))) throw notFound(id);
      monitor.forget(id);
      await revoke(context, {
        cause: 'cluster-deleted',
        clusterId: id,
        by: request.user?.username,
      });
      await clients.drop(id);
      request.log.info({ clusterId: id }, 'cluster deleted');
      return reply.status(204).send(null);
    },
  );

  addRoutes(context);
}
