export {
  adminTls,
  appendLog,
  compactEtcd,
  down,
  isReady,
  kubectl,
  readState,
  restartComponent,
  stateOfKubeconfig,
  up,
} from './cluster.ts';
export type { ClusterState, UpOptions } from './cluster.ts';
export { seed, demoNamespace } from './seed.ts';
export { scale, scaleNamespace } from './scale.ts';
