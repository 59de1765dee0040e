// Kubeconfig parsing, policy and resolution, and the in-cluster connection.
export { internalAddressReason } from './addresses.ts';
export {
  inClusterConnection,
  serviceAccountDir,
  type InClusterOptions,
  type InClusterResult,
} from './in-cluster.ts';
export {
  parseKubeconfig,
  type Kubeconfig,
  type KubeconfigAuthProvider,
  type KubeconfigCluster,
  type KubeconfigContext,
  type KubeconfigExec,
  type KubeconfigUser,
} from './kubeconfig.ts';
export {
  checkPolicy,
  localPolicy,
  uploadPolicy,
  type KubeconfigPolicy,
  type PolicyRefusal,
} from './policy.ts';
export {
  connectionFromKubeconfig,
  listContexts,
  type KubeconfigConnectionOptions,
  type KubeconfigContextSummary,
  type ResolvedKubeconfig,
} from './resolve.ts';
export { tokenFileMaxAgeMs } from './token-file.ts';
