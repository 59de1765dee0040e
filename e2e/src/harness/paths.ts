// Where the built pieces are: turbo builds them before this package's tests (see package.json).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const gatewayDist = join(repoRoot, 'apps', 'gateway', 'dist');
export const hostDist = join(repoRoot, 'apps', 'web-host', 'dist');
export const k8sDist = join(repoRoot, 'apps', 'web-k8s', 'dist');
export const screenshotsDir = join(repoRoot, 'e2e', 'screenshots');

export function requireBuilds(): void {
  const missing = [
    join(gatewayDist, 'server.js'),
    join(hostDist, 'index.html'),
    join(k8sDist, 'index.html'),
  ].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `not built: ${missing.join(', ')}; run \`pnpm turbo run build\` (turbo builds them before \`test\`)`,
    );
  }
}
