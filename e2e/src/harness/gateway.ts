// The built gateway on a fresh SQLite store and key file, with a random first-admin password.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gatewayDist } from './paths.ts';
import { freePort, start, waitUntil, type Started } from './processes.ts';

const run = promisify(execFile);

export interface Gateway {
  /** http://127.0.0.1:PORT, the gateway itself (the browser goes through nginx). */
  url: string;
  address: string;
  admin: { username: string; password: string };
  process: Started;
}

export async function startGateway(options: {
  dir: string;
  /** Origins that may call the API and open WebSockets besides its own: nginx's. */
  allowedOrigins: string[];
  /** Serve the web apps itself (BINNACLE_WEB_DIR), as `make start` does. */
  webDir?: string;
}): Promise<Gateway> {
  const dataDir = join(options.dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const keyFile = join(options.dir, 'keys');
  await run(process.execPath, [join(gatewayDist, 'commands', 'key-file.js'), 'create', keyFile]);

  const port = await freePort();
  const admin = { username: 'admin', password: `e2e-${randomBytes(12).toString('base64url')}` };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    BINNACLE_HOST: '127.0.0.1',
    BINNACLE_PORT: String(port),
    BINNACLE_LOG_LEVEL: 'warn',
    BINNACLE_DATA_DIR: dataDir,
    BINNACLE_KEY_FILE: keyFile,
    BINNACLE_ADMIN_USER: admin.username,
    BINNACLE_ADMIN_PASSWORD: admin.password,
    BINNACLE_ALLOWED_ORIGINS: options.allowedOrigins.join(','),
    // nginx in front: client addresses and the scheme come from its X-Forwarded-* headers.
    BINNACLE_TRUST_PROXY_HOPS: options.webDir === undefined ? '1' : '0',
    ...(options.webDir !== undefined ? { BINNACLE_WEB_DIR: options.webDir } : {}),
    // the test cluster listens on 127.0.0.1, which the gateway refuses by default
    BINNACLE_CLUSTER_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
  };
  const started = start({
    command: process.execPath,
    args: [join(gatewayDist, 'server.js')],
    env,
    logFile: join(options.dir, 'gateway.log'),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(started, {
    what: 'the gateway',
    ready: async () => (await fetch(`${url}/readyz`)).ok,
  });
  return { url, address: `127.0.0.1:${port}`, admin, process: started };
}
