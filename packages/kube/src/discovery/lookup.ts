// Resolves what a person types (Deployment, deploy, deployments.apps, apps/v1/deployments, ...) to
// one discovered resource, with kubectl's priorities: built-in groups before custom ones, the
// preferred version before others.
import type { ResourceType } from '../resource.ts';
import type { DiscoveredResource } from './types.ts';

/**
 * 0 for core, 1 for the other built-in groups, 2 for the rest. CRD groups must contain a dot and
 * may only end in .k8s.io with an API review, so a dot-less or *.k8s.io group is Kubernetes' own.
 */
export function groupRank(group: string): number {
  if (group === '') return 0;
  return !group.includes('.') || group.endsWith('.k8s.io') ? 1 : 2;
}

export function toResourceType(d: DiscoveredResource): ResourceType {
  return { group: d.group, version: d.version, plural: d.plural, namespaced: d.namespaced };
}

interface Where {
  group?: string;
  version?: string;
}

export class ResourceIndex {
  /** Best first: by group rank, then the server's group order, preferred version first. */
  readonly resources: readonly DiscoveredResource[];

  constructor(resources: readonly DiscoveredResource[]) {
    const groupOrder = new Map<string, number>();
    resources.forEach((r, index) => {
      if (!groupOrder.has(r.group)) groupOrder.set(r.group, index);
    });
    const key = (r: DiscoveredResource): number[] => [
      groupRank(r.group),
      groupOrder.get(r.group) ?? 0,
      r.preferred ? 0 : 1,
    ];
    // A stable sort keeps the server's version and resource order inside a group.
    this.resources = [...resources].sort((a, b) => compareKeys(key(a), key(b)));
  }

  /**
   * `Deployment`, `deployments`, `deployment`, `deploy`, `deployments.apps`,
   * `Deployment.v1.apps`, `apps/v1/deployments`, `v1/pods`; undefined when nothing matches.
   */
  find(query: string): DiscoveredResource | undefined {
    const q = query.trim().toLowerCase();
    if (q === '') return undefined;
    if (q.includes('/')) return this.#findSlashed(q);
    const dot = q.indexOf('.');
    if (dot === -1) return this.#match(q, {});
    const name = q.slice(0, dot);
    const rest = q.slice(dot + 1);
    const versionDot = rest.indexOf('.');
    // `name.version.group` first, as kubectl does, then `name.group` (a group may contain dots).
    const fullySpecified =
      versionDot === -1
        ? this.#match(name, { group: '', version: rest })
        : this.#match(name, {
            group: rest.slice(versionDot + 1),
            version: rest.slice(0, versionDot),
          });
    return fullySpecified ?? this.#match(name, { group: rest });
  }

  /** The resource serving a kind, e.g. for an object's apiVersion and kind. */
  byGroupKind(group: string, kind: string, version?: string): DiscoveredResource | undefined {
    return this.resources.find(
      (r) =>
        r.group === group && r.kind === kind && (version === undefined || r.version === version),
    );
  }

  #findSlashed(q: string): DiscoveredResource | undefined {
    const parts = q.split('/');
    if (parts.some((p) => p === '')) return undefined;
    const [a, b, c] = parts;
    if (parts.length === 3 && a && b && c) return this.#match(c, { group: a, version: b });
    // `v1/pods` names a core version; `apps/deployments` a group.
    if (parts.length === 2 && a && b) {
      return this.#match(b, { group: '', version: a }) ?? this.#match(b, { group: a });
    }
    return undefined;
  }

  #match(name: string, where: Where): DiscoveredResource | undefined {
    // A linear scan: a cluster serves a few hundred resources and the list is already in priority order.
    return this.resources.find(
      (r) =>
        (where.group === undefined || r.group === where.group) &&
        (where.version === undefined || r.version === where.version) &&
        (r.plural === name ||
          r.singular === name ||
          r.kind.toLowerCase() === name ||
          r.shortNames.includes(name)),
    );
  }
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
