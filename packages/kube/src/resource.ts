// Where a kind lives in the API: group/version/plural, and the URL of a collection or an object.

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export interface ObjectRef {
  namespace?: string;
  name?: string;
  subresource?: string;
}

const segment = /^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/i;

function checkSegment(value: string, what: string): string {
  // Names never contain slashes or dots-only segments; refusing them keeps paths from escaping.
  if (!segment.test(value) || value === '.' || value === '..') {
    throw new Error(`invalid ${what} "${value.slice(0, 64)}"`);
  }
  return encodeURIComponent(value);
}

export function groupVersionPath(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === ''
    ? `/api/${checkSegment(type.version, 'version')}`
    : `/apis/${checkSegment(type.group, 'group')}/${checkSegment(type.version, 'version')}`;
}

/** /api/v1/namespaces/ns/pods/name/log and friends; a namespaced type without namespace is all namespaces. */
export function resourcePath(type: ResourceType, ref: ObjectRef = {}): string {
  let path = groupVersionPath(type);
  if (type.namespaced && ref.namespace !== undefined) {
    path += `/namespaces/${checkSegment(ref.namespace, 'namespace')}`;
  }
  path += `/${checkSegment(type.plural, 'resource')}`;
  if (ref.name !== undefined) path += `/${checkSegment(ref.name, 'name')}`;
  if (ref.subresource !== undefined) path += `/${checkSegment(ref.subresource, 'subresource')}`;
  return path;
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** Common built-in types, for callers and tests; discovery finds every other one. */
export const core = {
  pods: { group: '', version: 'v1', plural: 'pods', namespaced: true },
  namespaces: { group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  nodes: { group: '', version: 'v1', plural: 'nodes', namespaced: false },
  configmaps: { group: '', version: 'v1', plural: 'configmaps', namespaced: true },
  secrets: { group: '', version: 'v1', plural: 'secrets', namespaced: true },
  serviceaccounts: { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true },
  services: { group: '', version: 'v1', plural: 'services', namespaced: true },
  events: { group: '', version: 'v1', plural: 'events', namespaced: true },
  podtemplates: { group: '', version: 'v1', plural: 'podtemplates', namespaced: true },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
  replicasets: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
} as const satisfies Record<string, ResourceType>;
