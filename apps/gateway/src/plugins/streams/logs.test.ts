// Pod logs through the gateway, against the shared test cluster (kwok pods read their log from a
// file that grows by about a line a second: "binnacle demo follow line N").
import { CloseCode, streamPaths } from '@binnacle/contract';
import type { KubeClient } from '@binnacle/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import {
  createKwokPod,
  query,
  StreamClient,
  streamsTestApp,
  type StreamsTestApp,
} from '../../../test/streams-app.js';

const ns = useNamespace('streams-logs');
let t: StreamsTestApp;
let kube: KubeClient;

beforeAll(async () => {
  t = await streamsTestApp();
  kube = adminClient();
  await Promise.all([
    createKwokPod(kube, { namespace: ns.name, name: 'talker' }),
    createKwokPod(kube, { namespace: ns.name, name: 'pair', containers: ['app', 'sidecar'] }),
  ]);
}, 120_000);
afterAll(async () => {
  await t.close();
  await kube.close();
});

async function openLogs(
  pod: string,
  options: Record<string, string | number | boolean> = {},
): Promise<StreamClient> {
  const ticket = await t.ticket();
  return StreamClient.open(
    `${t.origin}${streamPaths.logs(t.cluster, ns.name, pod)}?${query({ ticket, ...options })}`,
  );
}

const followLine = /^binnacle demo follow line (\d+)$/;

function lineNumbers(text: string): number[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => Number(followLine.exec(line)?.[1] ?? Number.NaN));
}

async function metric(name: string): Promise<string> {
  const res = await t.app.inject({ url: '/metrics' });
  return res.body.split('\n').find((line) => line.startsWith(name)) ?? '';
}

describe('the logs socket', () => {
  it('sends the last lines, in whole-line batches, then end and close 1000', async () => {
    const client = await openLogs('talker', { tailLines: 3 });
    const closed = await client.closed;
    expect(closed.code).toBe(CloseCode.normal);
    expect(client.messages[0]).toEqual({ type: 'started', container: 'main' });
    expect(client.messages.at(-1)).toEqual({ type: 'end' });
    const data = client.messages.filter((m) => m.type === 'data');
    for (const message of data) expect(String(message.data)).toMatch(/\n$/);
    const numbers = lineNumbers(client.text('data'));
    expect(numbers).toHaveLength(3);
    expect(numbers).toEqual([numbers[0], (numbers[0] ?? 0) + 1, (numbers[0] ?? 0) + 2]);
  });

  it('prefixes timestamps when asked', async () => {
    const client = await openLogs('talker', { tailLines: 2, timestamps: true });
    await client.closed;
    const lines = client.text('data').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z binnacle demo /);
  });

  it('follows: a line written while listening arrives; closing aborts the upstream', async () => {
    const client = await openLogs('talker', { tailLines: 1, follow: true });
    await client.until((c) => lineNumbers(c.text('data')).length >= 2, 8000);
    const [first, second] = lineNumbers(client.text('data'));
    expect(second).toBe((first ?? 0) + 1);
    expect(await metric('binnacle_stream_upstreams{kind="logs"}')).toMatch(/ 1$/);
    client.socket.close();
    await client.closed;
    // The log request is gone within a second of the browser leaving.
    await expect
      .poll(() => metric('binnacle_stream_upstreams{kind="logs"}'), { timeout: 1000, interval: 50 })
      .toMatch(/ 0$/);
    await t.app.audit.flush();
    const rows = await t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'stream.logs')
      .where('name', '=', 'talker')
      .execute();
    const details = rows.map((row) => JSON.parse(row.detail ?? '{}') as Record<string, unknown>);
    expect(details).toContainEqual(
      expect.objectContaining({ phase: 'start', container: 'main', follow: true, tailLines: 1 }),
    );
    expect(details).toContainEqual(
      expect.objectContaining({ phase: 'end', container: 'main', closeCode: 1005 }),
    );
    expect(rows[0]).toMatchObject({ actor: 'admin', verb: 'log', namespace: ns.name });
  });

  it('reads the first container by default and another when asked', async () => {
    const first = await openLogs('pair', { tailLines: 1 });
    await first.closed;
    expect(first.messages[0]).toEqual({ type: 'started', container: 'app' });
    const second = await openLogs('pair', { tailLines: 1, container: 'sidecar' });
    await second.closed;
    expect(second.messages[0]).toEqual({ type: 'started', container: 'sidecar' });
    expect(lineNumbers(second.text('data'))).toHaveLength(1);
  });

  it('names the containers there are when asked for one that is not', async () => {
    const client = await openLogs('pair', { container: 'nope' });
    const closed = await client.closed;
    expect(client.messages).toEqual([
      {
        type: 'error',
        code: 'ContainerNotFound',
        message: 'Pod "pair" has no container "nope"; its containers are "app", "sidecar".',
      },
    ]);
    expect(closed.code).toBe(CloseCode.upstream);
  });

  it('says so for a pod that does not exist', async () => {
    const client = await openLogs('ghost');
    const closed = await client.closed;
    expect(client.messages).toEqual([
      {
        type: 'error',
        code: 'NotFound',
        message: `There is no pod "ghost" in namespace "${ns.name}"; it may have been deleted.`,
      },
    ]);
    expect(closed.code).toBe(CloseCode.upstream);
  });

  it('refuses a query the contract does not allow, before the upgrade', async () => {
    const ticket = await t.ticket();
    const url = `${t.origin}${streamPaths.logs(t.cluster, ns.name, 'talker')}?${query({ ticket, tailLines: -1 })}`;
    await expect(StreamClient.open(url)).rejects.toMatchObject({ status: 400 });
  });
});
