// Reading the files a kubeconfig or a service account mount names. Errors say which file and why
// (the errno code), never what was in it.
import { readFileSync } from 'node:fs';
import { invalidConfig, quote } from './fields.ts';

export type ReadFile = (path: string) => string;

export const readFileUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/** `(ENOENT)` for a Node fs error, '' for anything else. */
export function errnoSuffix(err: unknown): string {
  if (typeof err !== 'object' || err === null || !('code' in err)) return '';
  return typeof err.code === 'string' ? ` (${err.code})` : '';
}

/** Reads `path` for `what` (e.g. `user "alice" client-key`); failing is InvalidConfig. */
export function readConfigFile(options: {
  readFile: ReadFile;
  path: string;
  what: string;
}): string {
  const { readFile, path, what } = options;
  try {
    return readFile(path);
  } catch (err) {
    const message = `cannot read ${what} from ${quote(path)}${errnoSuffix(err)}`;
    throw invalidConfig([{ field: what, message }]);
  }
}
