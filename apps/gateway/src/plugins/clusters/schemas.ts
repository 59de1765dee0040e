// The cluster routes' schemas live in packages/contract (the web app reads the same ones); the
// gateway's names for them, and what only the gateway needs.
export {
  ClusterIdParamsSchema as idParams,
  ClusterListSchema as clusterList,
  ClusterSchema as clusterView,
  CreateClusterBodySchema as createBody,
  ImportClustersBodySchema as importBody,
  InClusterBodySchema as inClusterBody,
  maxKubeconfigBytes,
  PatchClusterBodySchema as patchBody,
  PreviewImportBodySchema as previewBody,
  PreviewImportSchema as previewResponse,
} from '@binnacle/contract';

/** Room for the JSON around a kubeconfig whose every character needs escaping. */
export const importBodyLimit = 2 * 1024 * 1024;
