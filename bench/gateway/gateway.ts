// Starts the built gateway as a process of its own (temp SQLite store, temp key file, a random
// admin password), signs in, and registers a cluster from its admin kubeconfig.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const gatewayDir = new URL('../../apps/gateway/', import.meta.url).pathname;

export interface Gateway {
  url: string;
  pid: number;
  /** Answers a JSON API call as the signed-in admin. */
  api: <T>(method: string, path: string, body?: unknown) => Promise<T>;
  token: string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the gateway exited with ${String(child.exitCode)}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the gateway did not become ready within 60 s');
}

export async function startGateway(): Promise<Gateway> {
  const dataDir = await mkdtemp(join(tmpdir(), 'binnacle-bench-'));
  const keyFile = join(dataDir, 'keys');
  await run(process.execPath, [join(gatewayDir, 'dist/commands/key-file.js'), 'create', keyFile]);
  const port = await freePort();
  const password = `Bench-${randomBytes(12).toString('hex')}`;
  const child = spawn(process.execPath, [join(gatewayDir, 'dist/server.js')], {
    env: {
      ...process.env,
      BINNACLE_PORT: String(port),
      BINNACLE_DATA_DIR: dataDir,
      BINNACLE_KEY_FILE: keyFile,
      BINNACLE_ADMIN_PASSWORD: password,
      BINNACLE_LOG_LEVEL: 'warn',
      BINNACLE_LOGIN_MAX_ATTEMPTS: '1000',
      // the test cluster listens on 127.0.0.1, which the gateway refuses by default
      BINNACLE_CLUSTER_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${String(port)}`;
  await waitReady(url, child);
  const login = await fetch(`${url}/k8s-api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${String(login.status)} ${await login.text()}`);
  const { accessToken: token } = (await login.json()) as { accessToken: string };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${method} ${path}: ${String(response.status)} ${await response.text()}`);
    }
    return (await response.json()) as T;
  };
  return {
    url,
    pid: child.pid ?? 0,
    api,
    token,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Registers the cluster of a kubeconfig file; answers the new cluster's id. */
export async function addCluster(gateway: Gateway, kubeconfigFile: string): Promise<string> {
  const kubeconfig = await readFile(kubeconfigFile, 'utf8');
  const { items } = await gateway.api<{ items: { id: string }[] }>(
    'POST',
    '/k8s-api/v1/clusters/import',
    { kubeconfig },
  );
  const id = items[0]?.id;
  if (id === undefined) throw new Error('the import registered no cluster');
  return id;
}

/** The process's resident set size, in bytes (Linux). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return Number(kib ?? 0) * 1024;
}
