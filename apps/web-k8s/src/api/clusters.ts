// Cluster records and kubeconfig import.
import {
  apiBase,
  type ClusterList,
  type ImportClustersBody,
  type PreviewImport,
} from '@binnacle/contract';
import type { Http } from './request';

export type { Cluster, ClusterHealth, ImportRefusal, PreviewContext } from '@binnacle/contract';

const base = `${apiBase}/clusters`;

export function listClustersApi(http: Http) {
  return http.request<ClusterList>({ path: base });
}

export function previewImportApi(http: Http, kubeconfig: string) {
  return http.request<PreviewImport>({
    method: 'POST',
    path: `${base}/preview-import`,
    body: { kubeconfig },
  });
}

export function importClustersApi(http: Http, body: ImportClustersBody) {
  return http.request<ClusterList>({ method: 'POST', path: `${base}/import`, body });
}
