// Legacy discovery, for servers without aggregated discovery: /api and /apis name the versions,
// then one request per group version lists its resources.
import { groupVersionOf } from './aggregated.ts';
import type {
  ApiGroupList,
  ApiResource,
  ApiResourceList,
  ApiVersions,
  DiscoveredResource,
  FailedGroup,
} from './types.ts';

/** One group version to fetch, in the server's order (groups by priority, versions by preference). */
export interface GroupVersionTarget {
  group: string;
  version: string;
  preferred: boolean;
}

/** What fetching one group version gave: its resource list, or why it failed. */
export type GroupVersionOutcome = GroupVersionTarget &
  ({ list: ApiResourceList } | { error: string });

export function legacyTargets(core: ApiVersions, groups: ApiGroupList): GroupVersionTarget[] {
  const targets = core.versions.map((version, index) => ({
    group: '',
    version,
    preferred: index === 0,
  }));
  for (const g of groups.groups) {
    // The server lists versions by preference, so the first one stands in if none is named.
    const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
    for (const v of g.versions) {
      targets.push({ group: g.name, version: v.version, preferred: v.version === preferred });
    }
  }
  return targets;
}

/** Merges the per-version answers; a failed version is reported, never fatal. */
export function mergeLegacy(outcomes: GroupVersionOutcome[]): {
  resources: DiscoveredResource[];
  failedGroups: FailedGroup[];
} {
  const resources: DiscoveredResource[] = [];
  const failedGroups: FailedGroup[] = [];
  for (const outcome of outcomes) {
    if ('error' in outcome) {
      failedGroups.push({
        groupVersion: groupVersionOf(outcome.group, outcome.version),
        message: outcome.error,
      });
      continue;
    }
    resources.push(...fromResourceList(outcome.list.resources ?? [], outcome));
  }
  return { resources, failedGroups };
}

/** Top-level resources of one version, each with its `parent/sub` entries folded in. */
function fromResourceList(list: ApiResource[], at: GroupVersionTarget): DiscoveredResource[] {
  const byPlural = new Map<string, DiscoveredResource>();
  for (const r of list) {
    if (r.name.includes('/')) continue;
    byPlural.set(r.name, {
      group: at.group,
      version: at.version,
      plural: r.name,
      singular: r.singularName || r.kind.toLowerCase(),
      kind: r.kind,
      namespaced: r.namespaced,
      verbs: r.verbs ?? [],
      shortNames: r.shortNames ?? [],
      categories: r.categories ?? [],
      subresources: [],
      preferred: at.preferred,
    });
  }
  for (const r of list) {
    const [parent, sub] = r.name.split('/', 2);
    if (parent === undefined || sub === undefined) continue;
    byPlural.get(parent)?.subresources.push(sub);
  }
  return [...byPlural.values()];
}
