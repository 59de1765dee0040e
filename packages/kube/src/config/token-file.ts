// A kubeconfig `tokenFile` as a TokenSource. Projected and rotated tokens change on disk while the
// gateway runs, so the file is read again once the last read is a minute old (client-go does the
// same).
import type { TokenSource } from '../connection.ts';
import { invalidConfig, quote } from './fields.ts';
import { readConfigFile, type ReadFile } from './files.ts';

export const tokenFileMaxAgeMs = 60_000;

function readToken(options: { readFile: ReadFile; path: string; what: string }): string {
  const token = readConfigFile(options).trim();
  if (token === '') {
    throw invalidConfig([
      { field: options.what, message: `${options.what} ${quote(options.path)} is empty` },
    ]);
  }
  return token;
}

/**
 * Reads the token now (so a missing file fails at once) and returns a source that re-reads it when
 * the cached copy is older than `maxAgeMs`. A failed re-read keeps the last good token and retries
 * on the next call: a rotation in progress should not fail requests that the old token still
 * serves.
 */
export function tokenFileSource(options: {
  readFile: ReadFile;
  path: string;
  /** Names the file in errors, e.g. `user "alice" tokenFile`. */
  what: string;
  maxAgeMs?: number;
}): TokenSource {
  const maxAgeMs = options.maxAgeMs ?? tokenFileMaxAgeMs;
  let token = readToken(options);
  let readAt = Date.now();
  return () => {
    if (Date.now() - readAt < maxAgeMs) return token;
    try {
      token = readToken(options);
      readAt = Date.now();
    } catch {
      // keep the last good token; the next call tries again
    }
    return token;
  };
}
