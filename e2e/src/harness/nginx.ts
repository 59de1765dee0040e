// Debian's nginx in front of the gateway, run as this user from a temporary prefix, with the
// configuration rendered from nginx/binnacle.conf.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.ts';
import { freePort, start, waitUntil, type Started } from './processes.ts';
import { nginxPath } from './tools.ts';

const run = promisify(execFile);

export interface Nginx {
  url: string;
  process: Started;
}

/** A port for nginx, chosen first: the gateway needs nginx's origin before either starts. */
export const nginxPort = freePort;

export async function startNginx(options: {
  dir: string;
  port: number;
  gateway: string;
  webDir: string;
}): Promise<Nginx> {
  const prefix = join(options.dir, 'nginx');
  await mkdir(prefix, { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  await run(process.execPath, [
    join(repoRoot, 'nginx', 'render.mjs'),
    '--web-dir',
    options.webDir,
    '--prefix',
    prefix,
    '--gateway',
    options.gateway,
    '--listen',
    `127.0.0.1:${options.port}`,
    '--out',
    conf,
  ]);
  const errorLog = join(prefix, 'error.log');
  const args = ['-p', prefix, '-e', errorLog, '-c', conf];
  await run(nginxPath, [...args, '-t']);
  const started = start({
    command: nginxPath,
    args: [...args, '-g', `daemon off; pid ${join(prefix, 'nginx.pid')};`],
    logFile: join(prefix, 'stdout.log'),
  });
  const url = `http://127.0.0.1:${options.port}`;
  await waitUntil(started, {
    what: 'nginx',
    ready: async () => (await fetch(`${url}/k8s-api/v1/auth/config`)).ok,
  });
  return { url, process: started };
}
