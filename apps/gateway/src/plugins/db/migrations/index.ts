// Every migration, listed here rather than found on disk, so the compiled gateway carries them.
// Kysely runs them in name order; a name, once released, never changes.
import type { Migration } from 'kysely';
import { core } from './0001_core.js';
import { revocation } from './0002_revocation.js';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_core': core,
  '0002_revocation': revocation,
};
