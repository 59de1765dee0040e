// Server-side list queries over cached objects: filter (namespace, label and field selectors, free
// text), sort by a column of the kind, page. Sort keys are computed once per object per request,
// and the cached objects themselves are answered (never copied).
import type { ListQuery, ListResponse } from '@binnacle/contract';
import { defaultPageSize } from '@binnacle/contract';
import {
  compareCells,
  matchesFieldSelector,
  matchesLabelSelector,
  parseFieldSelector,
  parseLabelSelector,
  searchTexts,
  type CellValue,
  type Column,
  type KubeObject,
  type ResourceEntry,
} from '@binnacle/resources';
import { HttpError } from '../errors/index.js';

export interface ListPlan {
  matches: (object: KubeObject) => boolean;
  column: Column;
  descending: boolean;
  page: number;
  pageSize: number;
}

function parsed<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw HttpError.badRequest(`The ${what} cannot be used: ${reason}.`);
  }
}

/** What objects a namespace and selectors select; a 400 HttpError for a selector that is wrong. */
export function objectFilter(options: {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}): (object: KubeObject) => boolean {
  const { namespace } = options;
  const labels = parsed('labelSelector', () => parseLabelSelector(options.labelSelector ?? ''));
  const fields = parsed('fieldSelector', () => parseFieldSelector(options.fieldSelector ?? ''));
  return (object) =>
    (namespace === undefined || namespace === '' || object.metadata.namespace === namespace) &&
    (labels.length === 0 || matchesLabelSelector(object.metadata.labels, labels)) &&
    (fields.length === 0 || matchesFieldSelector(object, fields));
}

/** Checks a list query before any work; a 400 HttpError that says what to change. */
export function listPlan(entry: ResourceEntry, query: ListQuery): ListPlan {
  const sortId = query.sort ?? 'name';
  const column = entry.columns.find((c) => c.id === sortId);
  if (column === undefined) {
    const ids = entry.columns.map((c) => c.id).join(', ');
    throw HttpError.badRequest(
      `${entry.title.en} cannot be sorted by "${sortId}"; sort by one of: ${ids}.`,
    );
  }
  const selected = objectFilter(query);
  const search = query.search?.trim().toLowerCase() ?? '';
  const matches =
    search === ''
      ? selected
      : (object: KubeObject) =>
          selected(object) &&
          searchTexts(entry, object).some((text) => text.toLowerCase().includes(search));
  return {
    matches,
    column,
    descending: query.order === 'desc',
    page: query.page ?? 1,
    pageSize: query.pageSize ?? defaultPageSize,
  };
}

interface Row<T> {
  object: T;
  key: CellValue;
}

/** Ties fall back to namespace and name, so the order is total and pages never overlap. */
function byPlace(a: KubeObject, b: KubeObject): number {
  return (
    compareCells(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compareCells(a.metadata.name, b.metadata.name)
  );
}

export function runList<T extends KubeObject>(
  plan: ListPlan,
  objects: readonly T[],
): ListResponse<T> {
  const rows: Row<T>[] = [];
  for (const object of objects) {
    if (plan.matches(object)) rows.push({ object, key: plan.column.value(object) });
  }
  const sign = plan.descending ? -1 : 1;
  rows.sort((a, b) => {
    // empty cells last, whichever the order
    if (a.key === null || b.key === null) {
      if (a.key !== b.key) return a.key === null ? 1 : -1;
      return byPlace(a.object, b.object);
    }
    return sign * compareCells(a.key, b.key) || byPlace(a.object, b.object);
  });
  const start = (plan.page - 1) * plan.pageSize;
  return {
    items: rows.slice(start, start + plan.pageSize).map((row) => row.object),
    total: rows.length,
    page: plan.page,
    pageSize: plan.pageSize,
  };
}
