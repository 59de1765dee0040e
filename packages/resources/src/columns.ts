// Column presets shared by many kinds, and small readers of object fields.
import type { Column, KubeObject } from './types.ts';

export const nameColumn: Column = {
  id: 'name',
  title: { en: 'Name', 'zh-CN': '名称' },
  value: (object) => object.metadata.name,
};

export const namespaceColumn: Column = {
  id: 'namespace',
  title: { en: 'Namespace', 'zh-CN': '命名空间' },
  value: (object) => object.metadata.namespace ?? null,
};

export const ageColumn: Column = {
  id: 'age',
  title: { en: 'Age', 'zh-CN': '存在时间' },
  // The creation time; the UI shows it as an age, and sorting by it sorts by age.
  value: (object) => object.metadata.creationTimestamp ?? null,
  format: 'age',
};

export const labelsColumn: Column = {
  id: 'labels',
  title: { en: 'Labels', 'zh-CN': '标签' },
  value: (object) =>
    Object.entries(object.metadata.labels ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(', ') || null,
  format: 'labels',
  optional: true,
};

/** The value at a dotted path (`status.phase`), or undefined. */
export function field(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function text(object: KubeObject, path: string): string | null {
  const value = field(object, path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function count(object: KubeObject, path: string): number {
  const value = field(object, path);
  return typeof value === 'number' ? value : 0;
}

export function list(object: KubeObject, path: string): unknown[] {
  const value = field(object, path);
  return Array.isArray(value) ? (value as unknown[]) : [];
}
