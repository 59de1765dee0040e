// Cluster records and kubeconfig import.
import { apiBase } from '@binnacle/contract';
import type { Http } from './request';

export interface ClusterHealth {
  reachable: boolean | null;
  version: string | null;
  latencyMs: number | null;
  lastError: string | null;
  checkedAt: string | null;
}

export interface Cluster {
  id: string;
  name: string;
  server: string;
  identityMode: 'gateway' | 'impersonate';
  createdAt: string;
  updatedAt: string;
  health: ClusterHealth;
}

/** Why one entry of a kubeconfig context cannot be imported. */
export interface ImportRefusal {
  context: string;
  entry: string;
  field: string;
  message: string;
}

export interface PreviewContext {
  name: string;
  server: string | null;
  namespace: string;
  current: boolean;
  suggestedName: string | null;
  refusals: ImportRefusal[];
}

const base = `${apiBase}/clusters`;

export function listClustersApi(http: Http) {
  return http.request<{ items: Cluster[] }>({ path: base });
}

export function previewImportApi(http: Http, kubeconfig: string) {
  return http.request<{ contexts: PreviewContext[] }>({
    method: 'POST',
    path: `${base}/preview-import`,
    body: { kubeconfig },
  });
}

export function importClustersApi(
  http: Http,
  body: { kubeconfig: string; contexts: string[]; names?: Record<string, string> },
) {
  return http.request<{ items: Cluster[] }>({ method: 'POST', path: `${base}/import`, body });
}
