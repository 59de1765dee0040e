// The real server process (src/server.ts) stopped with SIGTERM while a terminal is open: the
// browser gets close code 1001, the command in the pod ends, and the process exits with 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloseCode, streamPaths } from '@binnacle/contract';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { query, StreamClient } from '../../../test/streams-app.js';

const gatewayDir = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const password = 'sigterm-admin-password-0123';
let child: ChildProcess | undefined;
let dir: string | undefined;

afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Starts src/server.ts and resolves with its address once it listens. */
async function startServer(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'binnacle-sigterm-'));
  const started = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: gatewayDir,
    env: {
      PATH: process.env.PATH,
      BINNACLE_HOST: '127.0.0.1',
      BINNACLE_PORT: '0',
      BINNACLE_LOG_LEVEL: 'silent',
      BINNACLE_DATA_DIR: dir,
      BINNACLE_KEYS: `test:${randomBytes(32).toString('base64')}`,
      BINNACLE_ACTIVE_KEY: 'test',
      BINNACLE_ADMIN_PASSWORD: password,
      // the test cluster listens on 127.0.0.1, which the gateway refuses by default
      BINNACLE_CLUSTER_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the server did not start in 60 s:\n${output}`));
    }, 60_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const address = /listening on (http:\/\/[\d.]+:\d+)/.exec(output)?.[1];
      if (address !== undefined) {
        clearTimeout(timer);
        resolve(address);
      }
    };
    started.stdout.on('data', read);
    started.stderr.on('data', read);
    started.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${String(code)}:\n${output}`));
    });
  });
}

async function call<T>(
  base: string,
  path: string,
  init: { method: string; body: string; headers?: Record<string, string> },
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function running(marker: string): Promise<boolean> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) return true;
  }
  return false;
}

describe('SIGTERM', () => {
  it('closes an open terminal with 1001, ends its command and exits 0', async () => {
    const base = await startServer();
    const { accessToken } = await call<{ accessToken: string }>(base, '/k8s-api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password }),
    });
    const auth = { authorization: `Bearer ${accessToken}` };
    const { items } = await call<{ items: { id: string }[] }>(base, '/k8s-api/v1/clusters/import', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ kubeconfig: await readFile(inject('kubeconfig'), 'utf8') }),
    });
    const { ticket } = await call<{ ticket: string }>(base, '/k8s-api/v1/auth/ticket', {
      method: 'POST',
      headers: auth,
      body: '{}',
    });
    const marker = `binnacle-sigterm-${randomBytes(4).toString('hex')}`;
    const client = await StreamClient.open(
      `${base.replace(/^http/, 'ws')}${streamPaths.exec(items[0]?.id ?? '', 'demo', 'hello')}?${query(
        { ticket, command: ['sh', '-c', `while echo ${marker}; do sleep 0.2; done`] },
      )}`,
    );
    await client.until((c) => c.text('stdout').includes(marker));

    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    child?.kill('SIGTERM');
    expect((await client.closed).code).toBe(CloseCode.goingAway);
    expect(await exited).toBe(0);
    await expect.poll(() => running(marker), { timeout: 3000, interval: 100 }).toBe(false);
  }, 90_000);
});
