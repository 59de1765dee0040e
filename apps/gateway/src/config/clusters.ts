// Cluster records: what an uploaded kubeconfig may ask of the gateway, and how often every cluster's
// health is checked. Uploads follow @binnacle/kube's uploadPolicy; an administrator may relax it
// here, never so far as to let an upload read files on the gateway's machine.
import { boolean, integer, type Env } from './env.js';

export interface ClusterImportPolicy {
  /** Users with `exec` credential plugins (BINNACLE_ALLOW_EXEC_PLUGINS). */
  allowExec: boolean;
  /** Users with a legacy `auth-provider` (BINNACLE_ALLOW_AUTH_PROVIDERS). */
  allowAuthProvider: boolean;
  /** Clusters with `insecure-skip-tls-verify: true` (BINNACLE_ALLOW_INSECURE_CLUSTERS). */
  allowInsecureSkipTlsVerify: boolean;
}

export interface ClustersConfig {
  importPolicy: ClusterImportPolicy;
  /** Seconds between two health checks of each cluster. */
  healthIntervalSeconds: number;
}

export function loadClustersConfig(env: Env): ClustersConfig {
  return {
    importPolicy: {
      allowExec: boolean(env, 'BINNACLE_ALLOW_EXEC_PLUGINS', false),
      allowAuthProvider: boolean(env, 'BINNACLE_ALLOW_AUTH_PROVIDERS', false),
      allowInsecureSkipTlsVerify: boolean(env, 'BINNACLE_ALLOW_INSECURE_CLUSTERS', false),
    },
    healthIntervalSeconds: integer(env, {
      name: 'BINNACLE_HEALTH_INTERVAL_SECONDS',
      fallback: 30,
      min: 5,
      max: 3600,
    }),
  };
}
