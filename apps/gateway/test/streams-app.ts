// Test support for the streams tests: the whole gateway (app.ts, with the streams
// options a test wants), listening on a free loopback port, the administrator signed in and the
// shared test cluster imported; plus a WebSocket client that keeps every message it receives.
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { core, type KubeClient } from '@binnacle/kube';
import type { FastifyInstance } from 'fastify';
import { expect, inject } from 'vitest';
import WebSocket from 'ws';
import type { PluginTuning } from '../src/app.js';
import type { StreamsOptions } from '../src/plugins/streams/index.js';
import { signIn, testApp } from './app.js';

if (process.env.VITEST === undefined) throw new Error('streams-app.ts is test support only');

export interface StreamsTestApp {
  app: FastifyInstance;
  /** ws://127.0.0.1:port */
  origin: string;
  cluster: string;
  admin: { authorization: string };
  /** A fresh single-use ticket for the person with these headers (the administrator's default). */
  ticket: (headers?: { authorization: string }) => Promise<string>;
  close: () => Promise<void>;
}

export async function streamsTestApp(
  options: StreamsOptions = {},
  more: { tuning?: Omit<PluginTuning, 'streams'>; env?: Record<string, string> } = {},
): Promise<StreamsTestApp> {
  const { app, close } = await testApp(
    { BINNACLE_ALLOWED_ORIGINS: 'https://portal.example.com', ...more.env },
    { ...more.tuning, streams: options },
  );
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const admin = { authorization: `Bearer ${(await signIn(app)).accessToken}` };
  const cluster = await importTestCluster(app, admin);
  return {
    app,
    origin: address.replace(/^http/, 'ws'),
    cluster,
    admin,
    ticket: async (headers = admin) => {
      const res = await app.inject({ method: 'POST', url: '/k8s-api/v1/auth/ticket', headers });
      expect(res.statusCode).toBe(200);
      return res.json<{ ticket: string }>().ticket;
    },
    close,
  };
}

export async function importTestCluster(
  app: FastifyInstance,
  admin: { authorization: string },
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/k8s-api/v1/clusters/import',
    headers: admin,
    payload: { kubeconfig: await readFile(inject('kubeconfig'), 'utf8') },
  });
  expect(res.statusCode).toBe(201);
  const [created] = res.json<{ items: { id: string }[] }>().items;
  if (created === undefined) throw new Error('the import created no cluster');
  return created.id;
}

/** Creates a user bound to a built-in role and returns their bearer header. */
export async function userWithRole(
  t: StreamsTestApp,
  options: { username: string; role: 'viewer' | 'editor' },
): Promise<{ authorization: string }> {
  const password = 'a-long-enough-password';
  const created = await t.app.inject({
    method: 'POST',
    url: '/k8s-api/v1/users',
    headers: t.admin,
    payload: { username: options.username, password },
  });
  expect(created.statusCode).toBe(201);
  const bound = await t.app.inject({
    method: 'POST',
    url: '/k8s-api/v1/rolebindings',
    headers: t.admin,
    payload: { roleId: `builtin-${options.role}`, subjectKind: 'user', subject: options.username },
  });
  expect(bound.statusCode).toBe(201);
  return {
    authorization: `Bearer ${(await signIn(t.app, options.username, password)).accessToken}`,
  };
}

/** A pod that kwok runs, with the given containers (exec runs a local shell, logs read a file). */
export async function createKwokPod(
  client: KubeClient,
  options: { namespace: string; name: string; containers?: string[] },
): Promise<void> {
  const containers = (options.containers ?? ['main']).map((name) => ({ name, image: 'busybox' }));
  await client.create(core.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      nodeSelector: { type: 'kwok' },
      tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
      containers,
    },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pod = await client.get(core.pods, { namespace: options.namespace, name: options.name });
    const status: unknown = pod.status;
    if (
      typeof status === 'object' &&
      status !== null &&
      Reflect.get(status, 'phase') === 'Running'
    ) {
      return;
    }
    if (Date.now() > deadline) throw new Error(`pod ${options.name} is not Running after 60 s`);
    await delay(250);
  }
}

export interface Received {
  type: string;
  [key: string]: unknown;
}

/** A WebSocket client that keeps what it receives, to wait on it. */
export class StreamClient {
  readonly messages: Received[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('error', () => undefined);
    socket.on('message', (data: Buffer) => {
      this.messages.push(JSON.parse(data.toString('utf8')) as Received);
      for (const wake of this.#waiters) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => {
        for (const wake of this.#waiters) wake();
        resolve({ code, reason: reason.toString() });
      });
    });
  }

  /** Opens the socket; rejects with the HTTP status when the upgrade is refused. */
  static open(
    url: string,
    options: { origin?: string; headers?: Record<string, string> } = {},
  ): Promise<StreamClient> {
    const socket = new WebSocket(url, {
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    const client = new StreamClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        resolve(client);
      });
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => {
          reject(new RefusedUpgrade(response.statusCode ?? 0, body));
        });
      });
      socket.once('error', reject);
    });
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The text of every message of this type so far, joined. */
  text(type: string): string {
    return this.messages
      .filter((m) => m.type === type)
      .map((m) => String(m.data))
      .join('');
  }

  /** Waits until `check` holds (checked on every message and on close). */
  async until(check: (client: StreamClient) => boolean, timeoutMs = 10_000): Promise<void> {
    if (check(this)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`timed out; received ${JSON.stringify(this.messages).slice(-2000)}`));
      }, timeoutMs);
      const wake = (): void => {
        if (!check(this) && this.socket.readyState !== WebSocket.CLOSED) return;
        clearTimeout(timer);
        this.#waiters.delete(wake);
        if (check(this)) resolve();
        else
          reject(new Error(`closed first; received ${JSON.stringify(this.messages).slice(-2000)}`));
      };
      this.#waiters.add(wake);
    });
  }
}

export class RefusedUpgrade extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused with ${status}: ${body}`);
  }
}

/** The query string for a stream URL: repeated keys for arrays. */
export function query(values: Record<string, string | number | boolean | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return params.toString();
}
