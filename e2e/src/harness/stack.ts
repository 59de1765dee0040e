// Everything a browser test needs, started in order: the gateway on a fresh store, the test cluster
// registered in it, nginx in front, and Chromium. `stop` undoes it all, whatever failed.
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCluster, type RegisteredCluster } from './api.ts';
import { launchBrowser, type BrowserSession } from './browser.ts';
import { startGateway, type Gateway } from './gateway.ts';
import { nginxPort, startNginx } from './nginx.ts';
import { requireBuilds } from './paths.ts';
import { tail } from './processes.ts';
import { requireTools } from './tools.ts';
import { webDir } from './web.ts';

export interface Stack {
  gateway: Gateway;
  cluster: RegisteredCluster;
  browser: BrowserSession;
  /** The address people open: nginx, or the gateway itself. */
  baseURL: string;
  /** The last lines each process printed, for a failing test's message. */
  logs: () => Promise<string>;
  stop: () => Promise<void>;
}

export interface StackOptions {
  kubeconfig: string;
  /**
   * Who serves the web apps: nginx in front of the gateway (the deployment), or the gateway alone
   * with BINNACLE_WEB_DIR (`make start`).
   */
  front: 'nginx' | 'gateway';
}

export async function startStack(options: StackOptions): Promise<Stack> {
  requireTools();
  requireBuilds();
  const dir = await mkdtemp(join(tmpdir(), 'binnacle-e2e-'));
  // nginx started by root reads files as its worker user (nobody): the web folder must be reachable.
  await chmod(dir, 0o755);
  const undo: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
  };
  try {
    const web = await webDir(dir);
    const behindNginx = options.front === 'nginx';
    const port = behindNginx ? await nginxPort() : undefined;
    const gateway = await startGateway({
      dir,
      allowedOrigins: port === undefined ? [] : [`http://127.0.0.1:${port}`],
      ...(behindNginx ? {} : { webDir: web }),
    });
    undo.push(gateway.process.stop);
    const cluster = await registerCluster(gateway, {
      kubeconfig: await readFile(options.kubeconfig, 'utf8'),
      name: 'testcluster',
    });
    let baseURL = gateway.url;
    if (port !== undefined) {
      const nginx = await startNginx({ dir, port, gateway: gateway.address, webDir: web });
      undo.push(nginx.process.stop);
      baseURL = nginx.url;
    }
    const browser = await launchBrowser({ baseURL });
    undo.push(browser.close);
    const logs = async (): Promise<string> =>
      [
        `--- gateway\n${await tail(gateway.process.logFile)}`,
        ...(behindNginx ? [`--- nginx\n${await tail(join(dir, 'nginx', 'error.log'))}`] : []),
      ].join('\n');
    return { gateway, cluster, browser, baseURL, logs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
