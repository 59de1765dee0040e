// Commands in pods through the gateway, against the shared test cluster. kwok runs them as local
// processes (so a test can see them in /proc); it reports a non-zero exit as "exit status N" and
// never passes stdin's end on.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
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

const ns = useNamespace('streams-exec');
let t: StreamsTestApp;
let kube: KubeClient;

beforeAll(async () => {
  t = await streamsTestApp();
  kube = adminClient();
  await createKwokPod(kube, { namespace: ns.name, name: 'box' });
}, 120_000);
afterAll(async () => {
  await t.close();
  await kube.close();
});

async function openExec(
  options: Record<string, string | number | boolean | string[]> = {},
): Promise<StreamClient> {
  const ticket = await t.ticket();
  return StreamClient.open(
    `${t.origin}${streamPaths.exec(t.cluster, ns.name, 'box')}?${query({ ticket, ...options })}`,
  );
}

/** Pids of local processes whose command line contains `marker` (kwok's exec runs locally). */
async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found.push(Number(entry));
  }
  return found;
}

async function metric(name: string): Promise<string> {
  const res = await t.app.inject({ url: '/metrics' });
  return res.body.split('\n').find((line) => line.startsWith(name)) ?? '';
}

describe('the exec socket', () => {
  it('runs a command: started, its output, exit 0, close 1000, and two audit rows', async () => {
    const client = await openExec({ command: ['echo', 'hello-from-binnacle'] });
    const closed = await client.closed;
    expect(client.messages).toEqual([
      { type: 'started', container: 'main', command: ['echo', 'hello-from-binnacle'] },
      { type: 'stdout', data: 'hello-from-binnacle\n' },
      { type: 'exit', code: 0 },
    ]);
    expect(closed.code).toBe(CloseCode.normal);
    await t.app.audit.flush();
    const rows = await t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'stream.exec')
      .orderBy('at')
      .execute();
    expect(rows.map((row) => JSON.parse(row.detail ?? '{}') as unknown)).toEqual([
      { phase: 'start', container: 'main', command: ['echo', 'hello-from-binnacle'], tty: false },
      {
        phase: 'end',
        container: 'main',
        command: ['echo', 'hello-from-binnacle'],
        exitCode: 0,
        durationMs: expect.any(Number) as unknown,
      },
    ]);
    expect(rows[0]).toMatchObject({ actor: 'admin', verb: 'exec', kind: 'pods', name: 'box' });
  });

  it('keeps stderr apart and reports a non-zero exit code', async () => {
    const client = await openExec({ command: ['sh', '-c', 'echo oops >&2; exit 3'] });
    const closed = await client.closed;
    expect(client.text('stderr')).toBe('oops\n');
    expect(client.messages.at(-1)).toEqual({
      type: 'exit',
      code: 3,
      message: expect.stringMatching(/exit status 3$/) as unknown,
    });
    expect(closed.code).toBe(CloseCode.normal);
  });

  it('passes stdin to cat, multibyte characters included', async () => {
    const client = await openExec({ command: ['cat'] });
    await client.until((c) => c.messages.some((m) => m.type === 'started'));
    client.send({ type: 'stdin', data: 'héllo → ✓\n' });
    await client.until((c) => c.text('stdout') === 'héllo → ✓\n');
    client.socket.close();
    await client.closed;
  });

  it('decodes UTF-8 split across chunks without damage', async () => {
    // 100 000 three-byte characters: chunk edges fall inside characters.
    const client = await openExec({
      command: ['sh', '-c', "yes '✓' | head -n 100000 | tr -d '\\n'"],
    });
    await client.closed;
    const text = client.text('stdout');
    expect(text.length).toBe(100_000);
    expect(text).toBe('✓'.repeat(100_000));
  });

  it('gives a terminal of the asked size, and resizes it', async () => {
    const client = await openExec({
      command: ['sh', '-c', 'sleep 1; stty size; sleep 2; stty size; sleep 1'],
      cols: 120,
      rows: 30,
    });
    await client.until((c) => c.text('stdout').includes('30 120'));
    client.send({ type: 'resize', cols: 100, rows: 40 });
    await client.until((c) => c.text('stdout').includes('40 100'));
    await client.closed;
    expect(client.messages.at(-1)).toEqual({ type: 'exit', code: 0 });
  });

  it('opens bash when no command is given, as a terminal', async () => {
    const client = await openExec({ cols: 80, rows: 24 });
    await client.until((c) => c.messages.some((m) => m.type === 'started'));
    expect(client.messages[0]).toEqual({ type: 'started', container: 'main', command: ['bash'] });
    client.send({ type: 'stdin', data: 'echo "shell=$0 sum=$((6*7))"\n' });
    await client.until((c) => c.text('stdout').includes('shell=bash sum=42'));
    client.send({ type: 'stdin', data: 'exit 5\n' });
    await client.closed;
    expect(client.messages.at(-1)).toMatchObject({ type: 'exit', code: 5 });
  });

  it('says so for a program the container does not have (after started: the session opened)', async () => {
    const client = await openExec({ command: ['binnacle-no-such-program'] });
    const closed = await client.closed;
    expect(client.messages).toEqual([
      { type: 'started', container: 'main', command: ['binnacle-no-such-program'] },
      {
        type: 'error',
        code: 'CommandNotFound',
        message: 'Container "main" has no program "binnacle-no-such-program".',
      },
    ]);
    expect(closed.code).toBe(CloseCode.upstream);
  });

  it('refuses a message outside the protocol with close 1008', async () => {
    const client = await openExec({ command: ['cat'] });
    client.socket.send('{"type":"shout"}');
    const closed = await client.closed;
    expect(closed.code).toBe(CloseCode.protocol);
    expect(client.messages.at(-1)).toMatchObject({ type: 'error', code: 'BadMessage' });
  });

  it('ends the command in the pod when the browser leaves', async () => {
    const marker = `binnacle-tick-${randomBytes(4).toString('hex')}`;
    const client = await openExec({
      command: ['sh', '-c', `while echo ${marker}; do sleep 0.2; done`],
    });
    await client.until((c) => c.text('stdout').includes(marker));
    expect(await processesWith(marker)).not.toEqual([]);
    expect(await metric('binnacle_stream_upstreams{kind="exec"}')).toMatch(/ 1$/);
    client.socket.close();
    await client.closed;
    // The upstream session is closed within a second; kwok then ends the process on its next
    // write (it does not kill processes itself), so that takes a moment longer.
    await expect
      .poll(() => metric('binnacle_stream_upstreams{kind="exec"}'), { timeout: 1000, interval: 50 })
      .toMatch(/ 0$/);
    await expect.poll(() => processesWith(marker), { timeout: 3000, interval: 100 }).toEqual([]);
  });

  it('paces the command by the browser: a paused reader holds the gateway buffer down', async () => {
    const size = 32 * 1024 * 1024;
    const ticket = await t.ticket();
    const client = await StreamClient.open(
      `${t.origin}${streamPaths.exec(t.cluster, ns.name, 'box')}?${query({
        ticket,
        command: ['sh', '-c', `head -c ${size} /dev/zero | tr '\\0' x`],
      })}`,
    );
    client.socket.pause();
    const [server] = t.app.websocketServer.clients;
    let most = 0;
    const started = Date.now();
    while (Date.now() - started < 3000) {
      most = Math.max(most, server?.bufferedAmount ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // 1 MiB high-water mark plus the message that crossed it.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThan(1024 * 1024 + 200 * 1024);
    client.socket.resume();
    await client.closed;
    expect(client.text('stdout').length).toBe(size);
    expect(client.messages.at(-1)).toEqual({ type: 'exit', code: 0 });
  }, 60_000);

  it('passes megabytes of stdin without losing any', async () => {
    const size = 4 * 1024 * 1024;
    const client = await openExec({ command: ['sh', '-c', `head -c ${size} | wc -c`] });
    const chunk = 'y'.repeat(64 * 1024);
    for (let sent = 0; sent < size; sent += chunk.length) {
      client.send({ type: 'stdin', data: chunk });
    }
    await client.closed;
    expect(client.text('stdout').trim()).toBe(String(size));
    expect(client.messages.at(-1)).toEqual({ type: 'exit', code: 0 });
  }, 60_000);
});
