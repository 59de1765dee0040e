// Adding clusters: from an uploaded kubeconfig (with a preview of what it would become), from a
// server + CA + token, or from the pod the gateway runs in.
import { inClusterConnection, KubeError } from '@binnacle/kube';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HttpError } from '../errors/index.js';
import { addClusters, addOne, type ClustersContext } from './context.js';
import { planFromForm } from './form.js';
import { planChecked, previewChecked, readKubeconfig } from './kubeconfig.js';
import {
  clusterList,
  clusterView,
  createBody,
  importBody,
  importBodyLimit,
  inClusterBody,
  maxKubeconfigBytes,
  previewBody,
  previewResponse,
} from './schemas.js';

const base = '/k8s-api/v1/clusters';
const create = { rbac: { resource: 'clusters', verb: 'create' } };

function checkSize(kubeconfig: string): void {
  const bytes = Buffer.byteLength(kubeconfig, 'utf8');
  if (bytes > maxKubeconfigBytes) {
    throw HttpError.payloadTooLarge(
      `The kubeconfig is ${Math.ceil(bytes / 1024)} KiB; at most ${maxKubeconfigBytes / 1024} KiB is accepted.`,
    );
  }
}

export function addRoutes(context: ClustersContext): void {
  const { app, policy, addresses } = context;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    `${base}/preview-import`,
    {
      bodyLimit: importBodyLimit,
      // a question: it changes nothing, so the audit record leaves it out
      config: { ...create, audit: false },
      schema: { body: previewBody, response: { 200: previewResponse } },
    },
    async (request) => {
      checkSize(request.body.kubeconfig);
      const kubeconfig = readKubeconfig(request.body.kubeconfig);
      return { contexts: await previewChecked(kubeconfig, { policy, addresses }) };
    },
  );

  api.post(
    `${base}/import`,
    {
      bodyLimit: importBodyLimit,
      config: create,
      schema: { body: importBody, response: { 201: clusterList } },
    },
    async (request, reply) => {
      const { contexts, names, identityMode = 'gateway' } = request.body;
      checkSize(request.body.kubeconfig);
      const kubeconfig = readKubeconfig(request.body.kubeconfig);
      const planned = await planChecked(kubeconfig, { policy, addresses, contexts, names });
      const items = await addClusters(context, {
        clusters: planned,
        identityMode,
        createdBy: request.user?.id,
      });
      return reply.status(201).send({ items });
    },
  );

  api.post(
    base,
    { config: create, schema: { body: createBody, response: { 201: clusterView } } },
    async (request, reply) => {
      const { identityMode = 'gateway', ...form } = request.body;
      const planned = await planFromForm(form, { policy, addresses });
      const created = await addOne(context, {
        cluster: planned,
        identityMode,
        createdBy: request.user?.id,
      });
      return reply.status(201).send(created);
    },
  );

  api.post(
    `${base}/in-cluster`,
    {
      config: create,
      schema: { body: inClusterBody, response: { 201: clusterView } },
    },
    async (request, reply) => {
      let server: string;
      try {
        server = inClusterConnection(context.inCluster).connection.server;
      } catch (err) {
        if (!(err instanceof KubeError)) throw err;
        throw HttpError.badRequest(
          `The gateway is not running in a Kubernetes pod, so it has no in-cluster connection: ${err.message}`,
        );
      }
      const { name, identityMode = 'gateway' } = request.body;
      const created = await addOne(context, {
        cluster: { name, server, credential: { kind: 'in-cluster' } },
        identityMode,
        createdBy: request.user?.id,
      });
      return reply.status(201).send(created);
    },
  );
}
