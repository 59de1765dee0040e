// Every migration, listed here rather than found on disk, so the compiled gateway carries them.
// Kysely runs them in name order; a name, once released, never changes.
import type { Migration } from 'kysely';
import { core } from './0001_core.js';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_core': core,
};
