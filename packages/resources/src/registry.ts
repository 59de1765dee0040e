// What everything derives from an entry: its key in URLs, its RBAC name, its API paths, the menu.
import { kinds } from './kinds.ts';
import type { KubeObject, Label, Locale, MenuSection, ResourceEntry } from './types.ts';

export const registry: readonly ResourceEntry[] = kinds;

/** The entry's key in URLs: `pods`, `deployments.apps` (kubectl's resource.group form). */
export function resourceKey(entry: Pick<ResourceEntry, 'group' | 'plural'>): string {
  return entry.group === '' ? entry.plural : `${entry.plural}.${entry.group}`;
}

/** The name RBAC rules use: `pods`, `apps/deployments`. */
export function rbacResource(entry: Pick<ResourceEntry, 'group' | 'plural'>): string {
  return entry.group === '' ? entry.plural : `${entry.group}/${entry.plural}`;
}

const byKey = new Map(registry.map((entry) => [resourceKey(entry), entry]));

export function findResource(key: string): ResourceEntry | undefined {
  return byKey.get(key);
}

/** The entry of a kind (`Pod`, or `Deployment` with group `apps`). */
export function findKind(kind: string, group?: string): ResourceEntry | undefined {
  return registry.find(
    (entry) => entry.kind === kind && (group === undefined || entry.group === group),
  );
}

/** The API path of the collection (in a namespace, or across all when none is given). */
export function collectionPath(entry: ResourceEntry, namespace?: string): string {
  const prefix =
    entry.group === '' ? `/api/${entry.version}` : `/apis/${entry.group}/${entry.version}`;
  const scope =
    entry.namespaced && namespace !== undefined && namespace !== ''
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${prefix}${scope}/${entry.plural}`;
}

/** The API path of one object. */
export function objectPath(entry: ResourceEntry, name: string, namespace?: string): string {
  return `${collectionPath(entry, namespace)}/${encodeURIComponent(name)}`;
}

export function apiVersion(entry: ResourceEntry): string {
  return entry.group === '' ? entry.version : `${entry.group}/${entry.version}`;
}

export function supports(entry: ResourceEntry, verb: ResourceEntry['verbs'][number]): boolean {
  return entry.verbs.includes(verb);
}

/** The texts a free-text search over the kind matches. */
export function searchTexts(entry: ResourceEntry, object: KubeObject): readonly string[] {
  const own = [object.metadata.name, object.metadata.namespace ?? ''];
  return entry.search === undefined ? own : [...own, ...entry.search(object)];
}

export const menuSections: readonly { id: MenuSection; title: Label }[] = [
  { id: 'cluster', title: { en: 'Cluster', 'zh-CN': '集群' } },
  { id: 'workloads', title: { en: 'Workloads', 'zh-CN': '工作负载' } },
  { id: 'network', title: { en: 'Network', 'zh-CN': '网络' } },
];

/** The menu: sections in order, each with its kinds in order; kinds without `menu` are left out. */
export function menu(): { id: MenuSection; title: Label; entries: ResourceEntry[] }[] {
  return menuSections.map((section) => ({
    ...section,
    entries: registry
      .filter((entry) => entry.menu?.section === section.id)
      .sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0)),
  }));
}

export function label(text: Label, locale: Locale): string {
  return text[locale];
}
