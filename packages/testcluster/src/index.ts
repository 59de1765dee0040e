export { adminTls, down, isReady, kubectl, readState, up, appendLog } from './cluster.ts';
export type { ClusterState, UpOptions } from './cluster.ts';
export { seed, demoNamespace } from './seed.ts';
export { scale, scaleNamespace } from './scale.ts';
