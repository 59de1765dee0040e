// Aggregated discovery (apidiscovery.k8s.io/v2): /api and /apis each answer with every group,
// version and resource in one document.
import type {
  ApiGroupDiscoveryList,
  ApiResourceDiscovery,
  DiscoveredResource,
  FailedGroup,
} from './types.ts';

export const aggregatedAccept = [
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  'application/json',
].join(',');

const aggregatedApiVersions = new Set(['apidiscovery.k8s.io/v2', 'apidiscovery.k8s.io/v2beta1']);

/** A server without aggregated discovery ignores the Accept and answers APIVersions/APIGroupList. */
export function isAggregated(body: unknown): body is ApiGroupDiscoveryList {
  if (typeof body !== 'object' || body === null) return false;
  const { kind, apiVersion } = body as { kind?: unknown; apiVersion?: unknown };
  return (
    kind === 'APIGroupDiscoveryList' &&
    typeof apiVersion === 'string' &&
    aggregatedApiVersions.has(apiVersion)
  );
}

export function groupVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Flattens the documents of /api and /apis, in that order. */
export function fromAggregated(lists: ApiGroupDiscoveryList[]): {
  resources: DiscoveredResource[];
  failedGroups: FailedGroup[];
} {
  const resources: DiscoveredResource[] = [];
  const failedGroups: FailedGroup[] = [];
  for (const list of lists) {
    for (const item of list.items ?? []) {
      const group = item.metadata?.name ?? '';
      (item.versions ?? []).forEach((v, index) => {
        // client-go drops stale versions too: their resources may no longer be served.
        if (v.freshness === 'Stale') {
          failedGroups.push({
            groupVersion: groupVersionOf(group, v.version),
            message: 'the API server could not refresh the discovery of this aggregated API',
          });
          return;
        }
        for (const r of v.resources ?? []) {
          resources.push(
            fromAggregatedResource(r, { group, version: v.version, preferred: index === 0 }),
          );
        }
      });
    }
  }
  return { resources, failedGroups };
}

function fromAggregatedResource(
  r: ApiResourceDiscovery,
  at: { group: string; version: string; preferred: boolean },
): DiscoveredResource {
  const kind = r.responseKind?.kind ?? '';
  return {
    group: at.group,
    version: at.version,
    plural: r.resource,
    singular: r.singularResource || kind.toLowerCase(),
    kind,
    namespaced: r.scope === 'Namespaced',
    verbs: r.verbs ?? [],
    shortNames: r.shortNames ?? [],
    categories: r.categories ?? [],
    subresources: (r.subresources ?? []).map((s) => s.subresource),
    preferred: at.preferred,
  };
}
