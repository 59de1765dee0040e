import { setTimeout as delay } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useNamespace } from '@binnacle/testcluster/vitest/namespace';
import type { KubeClient } from '../client.ts';
import { KubeError } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import { logLines, logs } from './logs.ts';
import { clientFor, createKwokPod } from '../testing.ts';

const ns = useNamespace('streams-logs');
let client: KubeClient;
// One connection per lane: a follow request that kept its socket would block every later stream.
let single: KubeClient;

beforeAll(async () => {
  client = await clientFor(inject('kubeconfig'));
  single = await clientFor(inject('kubeconfig'), { connections: 1, streamConnections: 1 });
  await createKwokPod(ns, 'talker');
});
afterAll(async () => {
  await client.close();
  await single.close();
});

const demoLine = /^binnacle demo follow line (\d+)$/;

function lineNumber(line: string): number {
  const match = demoLine.exec(line);
  if (!match?.[1]) throw new Error(`unexpected log line ${JSON.stringify(line)}`);
  return Number(match[1]);
}

/** A queued request waits without a timeout of its own, so the signal bounds it. */
/** The stream lane's one connection is free: a request on it gets through. */
async function stillUsable(): Promise<void> {
  const pod = await single.request<KubeObject>({
    path: `/api/v1/namespaces/${ns.name}/pods/talker`,
    lane: 'stream',
    signal: AbortSignal.timeout(5000),
  });
  expect(pod.metadata.name).toBe('talker');
}

function closed(stream: Readable): Promise<void> {
  return new Promise((resolve) =>
    stream.once('close', () => {
      resolve();
    }),
  );
}

describe('logs against the test cluster', () => {
  it('returns the last 3 lines for tailLines=3', async () => {
    const lines: string[] = [];
    for await (const line of logLines(client, {
      namespace: ns.name,
      pod: 'talker',
      tailLines: 3,
    })) {
      lines.push(line);
    }
    expect(lines).toHaveLength(3);
    const numbers = lines.map(lineNumber);
    expect(numbers).toEqual([numbers[0], (numbers[0] ?? 0) + 1, (numbers[0] ?? 0) + 2]);
  });

  it('stops at limitBytes', async () => {
    const body = await logs(client, { namespace: ns.name, pod: 'talker', limitBytes: 10 });
    let text = '';
    for await (const chunk of body) text += String(chunk);
    expect(text).toBe('binnacle d');
  });

  it('follows new lines, and an abort ends the stream and frees its socket', async () => {
    const controller = new AbortController();
    const body = await logs(single, {
      namespace: ns.name,
      pod: 'talker',
      follow: true,
      tailLines: 1,
      signal: controller.signal,
    });
    const isClosed = closed(body);
    const errors: unknown[] = [];
    body.on('error', (err) => errors.push(err));
    const seen: number[] = [];
    const started = Date.now();
    let text = '';
    for await (const chunk of body) {
      text += String(chunk);
      const lines = text.split('\n').filter((l) => l !== '');
      seen.splice(0, seen.length, ...lines.map(lineNumber));
      if (seen.length >= 2) break;
    }
    // the tail line, then one written while we listened
    expect(Date.now() - started).toBeLessThan(3000);
    expect(seen[1]).toBe((seen[0] ?? 0) + 1);
    controller.abort();
    await isClosed;
    // the single connection is free again, or this request would wait for it and time out
    await stillUsable();
  });

  it('logLines ends with KubeError Aborted when the signal aborts while following', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    let error: unknown;
    try {
      for await (const line of logLines(single, {
        namespace: ns.name,
        pod: 'talker',
        follow: true,
        tailLines: 1,
        signal: controller.signal,
      })) {
        lines.push(line);
        if (lines.length === 2) controller.abort();
      }
    } catch (err) {
      error = err;
    }
    expect(lines).toHaveLength(2);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).reason).toBe('Aborted');
    await stillUsable();
  });

  it('destroying a followed stream frees its socket too', async () => {
    const body = await logs(single, { namespace: ns.name, pod: 'talker', follow: true });
    const isClosed = closed(body);
    await delay(200);
    body.destroy();
    await isClosed;
    await stillUsable();
  });

  it('answers 404 NotFound for a missing pod', async () => {
    const err: unknown = await logs(client, { namespace: ns.name, pod: 'missing' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).code).toBe(404);
    expect((err as KubeError).reason).toBe('NotFound');
  });
});
