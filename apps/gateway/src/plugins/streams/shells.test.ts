// The shell fallback and the idle timeout, with shells and a timeout set for the test. kwok runs
// exec locally and fails a missing program with "executable file not found in $PATH".
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

const ns = useNamespace('streams-shells');
let fallback: StreamsTestApp;
let noShell: StreamsTestApp;
let kube: KubeClient;

beforeAll(async () => {
  [fallback, noShell] = await Promise.all([
    streamsTestApp({ shells: [['binnacle-no-such-shell'], ['sh']], execIdleMs: 1500 }),
    streamsTestApp({ shells: [['binnacle-no-such-shell'], ['binnacle-nor-this-one']] }),
  ]);
  kube = adminClient();
  await createKwokPod(kube, { namespace: ns.name, name: 'box' });
}, 120_000);
afterAll(async () => {
  await Promise.all([fallback.close(), noShell.close()]);
  await kube.close();
});

async function openExec(
  t: StreamsTestApp,
  options: Record<string, string | number | string[]> = {},
): Promise<StreamClient> {
  const ticket = await t.ticket();
  return StreamClient.open(
    `${t.origin}${streamPaths.exec(t.cluster, ns.name, 'box')}?${query({ ticket, ...options })}`,
  );
}

describe('the shell fallback', () => {
  it('falls back to sh when the first shell is missing, keeping input typed meanwhile', async () => {
    const client = await openExec(fallback, { cols: 80, rows: 24 });
    // Sent before anything came back: it waits for the shell that runs.
    client.send({ type: 'stdin', data: 'echo "sum=$((6*7))"\n' });
    await client.until((c) => c.text('stdout').includes('sum=42'));
    expect(client.messages[0]).toEqual({ type: 'started', container: 'main', command: ['sh'] });
    expect(client.messages.filter((m) => m.type === 'started')).toHaveLength(1);
    expect(client.text('stdout')).not.toContain('binnacle-no-such-shell');
    client.send({ type: 'stdin', data: 'exit\n' });
    await client.closed;
    await fallback.app.audit.flush();
    const rows = await fallback.app.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'stream.exec')
      .execute();
    expect(rows.map((row) => JSON.parse(row.detail ?? '{}') as unknown)).toContainEqual({
      phase: 'start',
      container: 'main',
      command: ['sh'],
      tty: true,
    });
  });

  it('says which shells were tried when the image has none of them', async () => {
    const client = await openExec(noShell, { cols: 80, rows: 24 });
    const closed = await client.closed;
    expect(client.messages.at(-1)).toEqual({
      type: 'error',
      code: 'NoShell',
      message:
        'Container "main" has none of the shells tried (binnacle-no-such-shell, binnacle-nor-this-one); run a command instead.',
    });
    expect(closed.code).toBe(CloseCode.upstream);
  });
});

describe('the idle timeout', () => {
  it('closes a session without input or output with 4408', async () => {
    const client = await openExec(fallback, { command: ['cat'] });
    await client.until((c) => c.messages.some((m) => m.type === 'started'));
    const since = Date.now();
    const closed = await client.closed;
    expect(Date.now() - since).toBeGreaterThan(1000);
    expect(closed.code).toBe(CloseCode.idle);
    expect(client.messages.at(-1)).toMatchObject({ type: 'error', code: 'Idle' });
  });

  it('keeps a session that has input open past the timeout', async () => {
    const client = await openExec(fallback, { command: ['cat'] });
    for (let i = 0; i < 6; i++) {
      client.send({ type: 'stdin', data: `${i}\n` });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect(client.text('stdout')).toBe('0\n1\n2\n3\n4\n5\n');
    client.socket.close();
    await client.closed;
  });
});
