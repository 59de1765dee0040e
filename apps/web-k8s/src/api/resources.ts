// The registry-driven resource API: list (server-paged), get, delete, scale.
import {
  resourcePaths,
  type ListQuery,
  type ListResponse,
  type ScaleResponse,
} from '@binnacle/contract';
import type { KubeObject } from '@binnacle/resources';
import type { Http } from './request';

export interface ObjectRef {
  cluster: string;
  /** A registry key: `pods`, `deployments.apps`. */
  resource: string;
  name: string;
  /** Undefined for cluster-scoped kinds. */
  namespace?: string;
}

export function listResourcesApi(
  http: Http,
  target: { cluster: string; resource: string },
  query: ListQuery,
  signal?: AbortSignal,
) {
  return http.request<ListResponse<KubeObject>>({
    path: resourcePaths.collection(target.cluster, target.resource),
    query: { ...query },
    signal,
  });
}

export function getResourceApi(http: Http, ref: ObjectRef) {
  return http.request<KubeObject>({
    path: resourcePaths.object(ref.cluster, ref.resource, ref.name),
    query: { namespace: ref.namespace },
  });
}

export function deleteResourceApi(http: Http, ref: ObjectRef) {
  return http.request<unknown>({
    method: 'DELETE',
    path: resourcePaths.object(ref.cluster, ref.resource, ref.name),
    query: { namespace: ref.namespace },
  });
}

export function scaleResourceApi(http: Http, ref: ObjectRef, replicas: number) {
  return http.request<ScaleResponse>({
    method: 'PUT',
    path: resourcePaths.scale(ref.cluster, ref.resource, ref.name),
    query: { namespace: ref.namespace },
    body: { replicas },
  });
}
