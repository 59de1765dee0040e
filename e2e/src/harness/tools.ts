// The Debian programs the browser tests drive. `make test` installs them (scripts/test.sh); run by
// hand, the tests stop with what to install instead of a confusing spawn error.
import { accessSync, constants } from 'node:fs';

export const chromiumPath = process.env.BINNACLE_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const nginxPath = process.env.BINNACLE_E2E_NGINX ?? '/usr/sbin/nginx';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function requireTools(): void {
  const missing = [
    { path: chromiumPath, pkg: 'chromium' },
    { path: nginxPath, pkg: 'nginx' },
  ].filter((tool) => !executable(tool.path));
  if (missing.length > 0) {
    throw new Error(
      `the browser tests need ${missing.map((m) => `${m.pkg} (${m.path})`).join(' and ')}: ` +
        `run \`apt-get install -y ${missing.map((m) => m.pkg).join(' ')}\` (make test does this)`,
    );
  }
}
