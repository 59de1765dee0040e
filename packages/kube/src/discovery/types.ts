// What discovery returns, and the wire shapes of the API server's discovery documents (only the
// fields read here).

export interface DiscoveredResource {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  /** The server's singular name, or the lower-cased kind when the server leaves it empty. */
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  /** Subresource names of this resource: `log`, `exec`, `status`, `scale`, ... */
  subresources: string[];
  /** True when `version` is the group's preferred version. */
  preferred: boolean;
}

/** A group version whose resources could not be discovered (e.g. an aggregated API that is down). */
export interface FailedGroup {
  /** `apps/v1`, or `v1` for the core group. */
  groupVersion: string;
  message: string;
}

export interface DiscoveryResult {
  /** In the server's order: groups by priority, versions by preference. */
  resources: DiscoveredResource[];
  failedGroups: FailedGroup[];
  /** Which discovery the server answered: one aggregated document, or one request per version. */
  mode: 'aggregated' | 'legacy';
}

// apidiscovery.k8s.io/v2 (and v2beta1, which has the same shape for these fields).

export interface ApiGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: string;
  items?: ApiGroupDiscovery[];
}

export interface ApiGroupDiscovery {
  /** No name for the core group. */
  metadata?: { name?: string };
  /** Sorted by preference: the first is the preferred version. */
  versions?: ApiVersionDiscovery[];
}

export interface ApiVersionDiscovery {
  version: string;
  resources?: ApiResourceDiscovery[];
  /** `Stale` when the server could not refresh an aggregated API's discovery. */
  freshness?: 'Current' | 'Stale';
}

export interface ApiResourceDiscovery {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope?: 'Namespaced' | 'Cluster';
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: { subresource: string }[];
}

// Legacy discovery: /api, /apis, /api/v1, /apis/{group}/{version}.

export interface ApiVersions {
  kind: 'APIVersions';
  versions: string[];
}

export interface ApiGroupList {
  kind: 'APIGroupList';
  groups: ApiGroup[];
}

export interface ApiGroup {
  name: string;
  versions: { groupVersion: string; version: string }[];
  preferredVersion?: { groupVersion: string; version: string };
}

export interface ApiResourceList {
  kind?: 'APIResourceList';
  groupVersion: string;
  /** Can be null for a version without resources. */
  resources?: ApiResource[] | null;
}

export interface ApiResource {
  /** `pods`, or `pods/log` for a subresource. */
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}
