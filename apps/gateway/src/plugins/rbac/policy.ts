// The policy: rules, what they match, and the decision. Pure functions, no I/O.
//
// A request names a cluster, a namespace, a resource and a verb:
// - cluster: a cluster id, or '' for the gateway itself (users, roles, audit… live there);
// - namespace: a namespace, '' for a cluster-scoped object (nodes, namespaces, PVs…) or for the
//   gateway, or '*' for "across every namespace" (an all-namespaces list);
// - resource: 'pods' (core group), 'apps/deployments' (group/plural), or a gateway resource name;
// - verb: one of `verbs`.
//
// A rule matches when each of its four lists has an entry matching the request:
// - clusters: '*' is every cluster but not the gateway itself; '' is the gateway itself. So a
//   rule over "every cluster" never reaches users, roles or the audit record; only one that lists
//   '' does.
// - namespaces: '*' is everything, including cluster scope and "every namespace"; '' is cluster
//   scope only; a name is that namespace only (never cluster scope, never all namespaces).
// - resources: '*' is every resource; 'apps/*' every resource of a group; '*/*' every resource of
//   every named group (not the core group, not gateway resources); '*/ingresses' that plural in
//   any named group; a bare name ('pods', 'users') that core or gateway resource only.
// - verbs: '*' is every verb, node-shell included; otherwise exact names.
// A literal '*' in a request matches only a '*' pattern: "every namespace" needs a rule for every
// namespace.
//
// Decision: any matching deny rule wins ('deny'); else any matching allow ('allow'); else 'none'
// (refused as well: nothing is allowed unless a rule says so).

export const verbs = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'log',
  'exec',
  'node-shell',
  'port-forward',
] as const;
export type Verb = (typeof verbs)[number];

/** The gateway's own resources. They are always checked at gateway scope (cluster ''). */
export const gatewayResources = [
  'users',
  'groups',
  'roles',
  'rolebindings',
  'clusters',
  'audit',
  'settings',
] as const;

export type Effect = 'allow' | 'deny';

export interface Rule {
  clusters: string[];
  namespaces: string[];
  resources: string[];
  verbs: string[];
  effect: Effect;
}

export interface AccessRequest {
  cluster: string;
  namespace: string;
  resource: string;
  verb: string;
}

export type Decision = 'allow' | 'deny' | 'none';

export function evaluate(rules: readonly Rule[], request: AccessRequest): Decision {
  return decide(rules, request).decision;
}

/** The decision and the rule that made it (the first deny, else the first allow). */
export function decide<R extends Rule>(
  rules: readonly R[],
  request: AccessRequest,
): { decision: Decision; rule: R | undefined } {
  let allowedBy: R | undefined;
  for (const rule of rules) {
    if (rule.effect === 'allow' && allowedBy !== undefined) continue;
    if (!matches(rule, request)) continue;
    if (rule.effect === 'deny') return { decision: 'deny', rule };
    allowedBy = rule;
  }
  return { decision: allowedBy ? 'allow' : 'none', rule: allowedBy };
}

/** Whether a rule's clusters and namespaces cover this place (whatever the resource and verb). */
export function appliesTo(rule: Rule, place: { cluster: string; namespace: string }): boolean {
  return (
    rule.clusters.some((p) => clusterMatches(p, place.cluster)) &&
    rule.namespaces.some((p) => namespaceMatches(p, place.namespace))
  );
}

export function matches(rule: Rule, request: AccessRequest): boolean {
  return (
    rule.verbs.some((p) => p === '*' || p === request.verb) &&
    rule.resources.some((p) => resourceMatches(p, request.resource)) &&
    appliesTo(rule, request)
  );
}

export function clusterMatches(pattern: string, cluster: string): boolean {
  return pattern === '*' ? cluster !== '' : pattern === cluster;
}

export function namespaceMatches(pattern: string, namespace: string): boolean {
  return pattern === '*' || pattern === namespace;
}

export function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === '*' || pattern === resource) return true;
  const slash = pattern.indexOf('/');
  if (slash < 0) return false;
  const at = resource.indexOf('/');
  if (at < 0) return false;
  const group = pattern.slice(0, slash);
  const plural = pattern.slice(slash + 1);
  return (
    (group === '*' || group === resource.slice(0, at)) &&
    (plural === '*' || plural === resource.slice(at + 1))
  );
}

/** "pods in prod/web", "nodes in prod", "roles": where a request points, for messages. */
export function describePlace(request: { cluster: string; namespace: string }): string {
  if (request.cluster === '') return '';
  if (request.namespace === '') return ` in ${request.cluster}`;
  return ` in ${request.cluster}/${request.namespace}`;
}
