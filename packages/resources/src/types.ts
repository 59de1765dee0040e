// The shape of a registry entry. One entry per kind; everything else (gateway routes, RBAC
// resource names, informer paths, menus, UI routes and list columns) is derived from it.

/** A text in every language the UI speaks. */
export interface Label {
  en: string;
  'zh-CN': string;
}

export type Locale = keyof Label;

/** A Kubernetes object as the registry reads it: only metadata is assumed. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
  };
  [field: string]: unknown;
}

/** A cell's value: sortable as it is; the UI formats it by the column's `format`. */
export type CellValue = string | number | null;

export type CellFormat = 'text' | 'age' | 'number' | 'status' | 'labels';

export interface Column {
  /** Unique within the entry; the `sort` parameter of a list names it. */
  id: string;
  title: Label;
  value: (object: KubeObject) => CellValue;
  format?: CellFormat;
  /** Hidden in narrow views. */
  optional?: boolean;
}

/** Registry verbs: what the gateway serves for the kind (checked against the person's roles). */
export type ResourceVerb = 'list' | 'get' | 'watch' | 'delete' | 'scale' | 'log' | 'exec';

export type MenuSection = 'cluster' | 'workloads' | 'network';

export interface ResourceEntry {
  kind: string;
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  verbs: readonly ResourceVerb[];
  /** The plural display name, for menus and titles. */
  title: Label;
  menu: { section: MenuSection; order: number } | undefined;
  columns: readonly Column[];
  /** The texts a free-text search matches (name and namespace always). */
  search?: (object: KubeObject) => readonly string[];
}
