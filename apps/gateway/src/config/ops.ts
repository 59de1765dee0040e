// What the gateway shows about itself: Prometheus metrics and the OpenAPI document. Both are off
// unless asked for (`make start` turns them on), since they describe the gateway to anyone.
import { boolean, type Env } from './env.js';

export interface OpsConfig {
  /** Serve Prometheus metrics at /metrics (BINNACLE_METRICS). */
  metrics: boolean;
  /** Serve the OpenAPI document and its UI under /k8s-api/docs (BINNACLE_API_DOCS). */
  apiDocs: boolean;
}

export function loadOpsConfig(env: Env): OpsConfig {
  return {
    metrics: boolean(env, 'BINNACLE_METRICS', false),
    apiDocs: boolean(env, 'BINNACLE_API_DOCS', false),
  };
}
