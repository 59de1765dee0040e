// Test support for revocation: a person with a terminal (a loop in a kwok pod), a followed log and
// a live subscription open, and ways to wait for each to be closed or ended.
import { readdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { LiveType, livePath, streamPaths } from '@binnacle/contract';
import { parseKubeconfig } from '@binnacle/kube';
import { expect, inject } from 'vitest';
import { signIn } from './app.js';
import { query, StreamClient, type StreamsTestApp } from './streams-app.js';

if (process.env.VITEST === undefined) throw new Error('revocation.ts is test support only');

export const password = 'a-long-enough-password';

export interface Someone {
  username: string;
  userId: string;
  headers: { authorization: string };
  refreshToken: string;
}

type App = Pick<StreamsTestApp, 'app' | 'admin'>;

async function call(
  t: App,
  options: { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: object },
): Promise<{ id?: string }> {
  const res = await t.app.inject({ ...options, headers: t.admin });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.body === '' ? {} : res.json<{ id?: string }>();
}

export const admin = { call };

/** A local person in `groups`, optionally bound to a role directly; signed in. */
export async function someone(
  t: App,
  options: { username: string; groups?: string[]; roleId?: string },
): Promise<Someone & { bindingId?: string }> {
  const { username } = options;
  await call(t, {
    method: 'POST',
    url: '/k8s-api/v1/users',
    payload: { username, password, groups: options.groups ?? [] },
  });
  const binding =
    options.roleId === undefined
      ? undefined
      : await call(t, {
          method: 'POST',
          url: '/k8s-api/v1/rolebindings',
          payload: { roleId: options.roleId, subjectKind: 'user', subject: username },
        });
  const session = await signIn(t.app, username, password);
  return {
    username,
    userId: session.userId,
    headers: { authorization: `Bearer ${session.accessToken}` },
    refreshToken: session.refreshToken,
    ...(binding?.id !== undefined ? { bindingId: binding.id } : {}),
  };
}

/** Imports the test cluster once more under a name of its own; its id. */
export async function importAgain(t: App, name: string): Promise<string> {
  const text = await readFile(inject('kubeconfig'), 'utf8');
  const context = parseKubeconfig(text).contexts[0]?.name ?? '';
  const res = await t.app.inject({
    method: 'POST',
    url: '/k8s-api/v1/clusters/import',
    headers: t.admin,
    payload: { kubeconfig: text, contexts: [context], names: { [context]: name } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ items: { id: string }[] }>().items[0]?.id ?? '';
}

/** Local processes whose command line holds `marker` (kwok runs exec as local processes). */
export async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found.push(Number(entry));
  }
  return found;
}

export interface Open {
  exec: StreamClient;
  logs: StreamClient;
  live: StreamClient;
  /** The command line marker of the loop in the terminal. */
  marker: string;
}

/**
 * Opens, as the person (tickets asked for with `who`), a terminal running a loop, a followed log
 * and a live subscription of the pods of the namespace; resolves once each serves.
 */
export async function openAll(
  t: { origin: string; ticket: StreamsTestApp['ticket'] },
  options: {
    who: { authorization: string };
    cluster: string;
    namespace: string;
    pod: string;
  },
): Promise<Open> {
  const { who, cluster, namespace, pod } = options;
  const open = async (path: string, values: Record<string, string | string[] | boolean>) => {
    const search = query({ ticket: await t.ticket(who), ...values });
    return StreamClient.open(`${t.origin}${path}?${search}`);
  };
  const marker = `revocation-${randomBytes(4).toString('hex')}`;
  const exec = await open(streamPaths.exec(cluster, namespace, pod), {
    command: ['sh', '-c', `while true; do echo ${marker}; sleep 0.2; done`],
  });
  const logs = await open(streamPaths.logs(cluster, namespace, pod), { follow: true });
  const live = await open(livePath, {});
  live.send({
    type: LiveType.subscribe,
    id: 'pods',
    cluster,
    resource: 'pods',
    namespace,
    mode: 'objects',
  });
  await exec.until((c) => c.text('stdout').includes(marker));
  await logs.until((c) => c.messages.some((m) => m.type === 'started'));
  await live.until((c) => c.messages.some((m) => m.type === LiveType.snapshot));
  expect(await processesWith(marker)).not.toEqual([]);
  return { exec, logs, live, marker };
}

/** Milliseconds from `since` until the socket closed, and its close frame. */
export async function closedAfter(
  client: StreamClient,
  since: number,
): Promise<{ ms: number; code: number; reason: string }> {
  const closed = await client.closed;
  return { ms: Date.now() - since, ...closed };
}

/** Milliseconds from `since` until the live subscription ended with an error, and the error. */
export async function subscriptionEndedAfter(
  live: StreamClient,
  since: number,
): Promise<{ ms: number; code: unknown; message: unknown }> {
  await live.until((c) => c.messages.some((m) => m.type === LiveType.error && m.id === 'pods'));
  const error = live.messages.find((m) => m.type === LiveType.error && m.id === 'pods');
  return { ms: Date.now() - since, code: error?.code, message: error?.message };
}
