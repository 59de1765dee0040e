// Reads an array at a dotted path of an object (`status.conditions`), [] when absent.
import { field } from '@binnacle/resources';

export function arrayAt(object: unknown, path: string): unknown[] {
  const value = field(object, path);
  return Array.isArray(value) ? (value as unknown[]) : [];
}
