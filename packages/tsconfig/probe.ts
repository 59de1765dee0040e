// Compiled by the package's own typecheck: the shared settings must accept ordinary strict code.
export function first<T>(items: readonly T[]): T | undefined {
  return items[0];
}
