// The files of a built app, listed once at start: only these are served, so no request path can
// reach outside the build (no traversal, no dotfile surprises). A rebuild needs a restart.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export function listFiles(root: string): Set<string> {
  const files = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.add(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return files;
}

/** Vite writes every hashed file under assets/: these never change, so they are cached for good. */
export const assetsDir = 'assets/';

/**
 * A missing path under assets/ is a 404 (a stale chunk must not come back as HTML); any other
 * missing path is a client-side route (`/k8s/c/x/configmaps/demo/kube-root-ca.crt` has a dot, too)
 * and gets the app's index.html.
 */
export function isAsset(path: string): boolean {
  return path.startsWith(assetsDir);
}
