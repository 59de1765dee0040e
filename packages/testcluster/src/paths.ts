import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where built binaries and Go's caches live: outside the checkout, shared by every clone. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.BINNACLE_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'binnacle')
  );
}

/** The temporary files of one running cluster; `down` removes the whole folder. */
export function stateDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(name)) {
    throw new Error(`cluster name "${name}" must be lower-case letters, digits and dashes`);
  }
  return join(env.BINNACLE_CLUSTER_DIR ?? join(tmpdir(), 'binnacle-testcluster'), name);
}

export const packageRoot = new URL('..', import.meta.url).pathname;
export const manifestsDir = join(packageRoot, 'manifests');
