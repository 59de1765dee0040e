// Pure helpers for server-side list queries: comparing cells and field selectors over objects.
import { field } from './columns.ts';
import type { CellValue } from './types.ts';

/** Orders cells: numbers numerically, strings naturally (`pod-2` before `pod-10`), nulls last. */
export function compareCells(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export interface FieldRequirement {
  path: string;
  operator: '=' | '!=';
  value: string;
}

/**
 * Parses `a.b=x,c!=y` (the Kubernetes field-selector syntax, `==` accepted as `=`) into
 * requirements; throws an Error naming the bad term.
 */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  if (selector.trim() === '') return [];
  return selector.split(',').map((term) => {
    const match = /^\s*([A-Za-z0-9_.-]+)\s*(!=|==|=)\s*(.*?)\s*$/.exec(term);
    if (match === null) {
      throw new Error(`"${term}" is not a field requirement; write path=value or path!=value`);
    }
    const [, path = '', operator = '=', value = ''] = match;
    return { path, operator: operator === '!=' ? '!=' : '=', value };
  });
}

export function matchesFieldSelector(
  object: unknown,
  requirements: readonly FieldRequirement[],
): boolean {
  return requirements.every(({ path, operator, value }) => {
    const actual = field(object, path);
    const text =
      typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean'
        ? String(actual)
        : '';
    return operator === '=' ? text === value : text !== value;
  });
}
