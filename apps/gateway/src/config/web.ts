// The built web apps the gateway serves itself when no nginx stands in front (make start):
// BINNACLE_WEB_DIR holds `host/` (the portal, served at /) and `k8s/` (web-k8s, served at /k8s/).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, optionalString, type Env } from './env.js';

export interface WebConfig {
  /** Absolute folder of the two builds; undefined serves no web app (nginx does). */
  dir: string | undefined;
}

export const webApps = ['host', 'k8s'] as const;

export function loadWebConfig(env: Env): WebConfig {
  const given = optionalString(env, 'BINNACLE_WEB_DIR');
  if (given === undefined) return { dir: undefined };
  const dir = resolve(given);
  const missing = webApps.filter((app) => !existsSync(join(dir, app, 'index.html')));
  if (missing.length > 0) {
    throw new ConfigError(
      `BINNACLE_WEB_DIR=${dir} has no ${missing.map((app) => `${app}/index.html`).join(' or ')}: ` +
        'point it at a folder holding the builds of apps/web-host (as host/) and apps/web-k8s (as k8s/), or unset it',
    );
  }
  return { dir };
}
