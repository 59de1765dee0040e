// What the signed-in person may do, so the UI hides what it may not.
import { apiBase } from '@binnacle/contract';
import type { Http } from './request';

export interface AccessAnswer {
  cluster: string;
  namespace: string;
  /** RBAC resource name (`pods`, `apps/deployments`) → the verbs allowed. */
  can: Record<string, string[]>;
}

export function accessApi(
  http: Http,
  query: { cluster: string; namespace: string; resources: readonly string[] },
) {
  return http.request<AccessAnswer>({
    path: `${apiBase}/access`,
    query: {
      cluster: query.cluster,
      namespace: query.namespace,
      resources: query.resources.join(','),
    },
  });
}
