// The gateway as app.ts assembles it, stopping (what SIGTERM does) with a log and a terminal open:
// both browsers get close code 1001 and both upstreams end.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { CloseCode, streamPaths } from '@binnacle/contract';
import type { KubeClient } from '@binnacle/kube';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signIn, testApp, type TestApp } from '../../../test/app.js';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import { createKwokPod, query, StreamClient } from '../../../test/streams-app.js';

const ns = useNamespace('streams-stop');
let t: TestApp;
let kube: KubeClient;

beforeAll(async () => {
  t = await testApp();
  kube = adminClient();
  await createKwokPod(kube, { namespace: ns.name, name: 'box' });
}, 120_000);
afterAll(async () => {
  await t.close().catch(() => undefined);
  await kube.close();
});

async function running(marker: string): Promise<boolean> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) return true;
  }
  return false;
}

describe('stopping the gateway with streams open', () => {
  it('closes every stream socket with 1001 and ends the upstreams', async () => {
    const origin = (await t.app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws');
    const admin = { authorization: `Bearer ${(await signIn(t.app)).accessToken}` };
    const imported = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/clusters/import',
      headers: admin,
      payload: { kubeconfig: await readFile(inject('kubeconfig'), 'utf8') },
    });
    const cluster = imported.json<{ items: { id: string }[] }>().items[0]?.id ?? '';
    const ticket = async (): Promise<string> =>
      (
        await t.app.inject({ method: 'POST', url: '/k8s-api/v1/auth/ticket', headers: admin })
      ).json<{ ticket: string }>().ticket;

    const marker = `binnacle-stop-${randomBytes(4).toString('hex')}`;
    const exec = await StreamClient.open(
      `${origin}${streamPaths.exec(cluster, ns.name, 'box')}?${query({
        ticket: await ticket(),
        command: ['sh', '-c', `while echo ${marker}; do sleep 0.2; done`],
      })}`,
    );
    const logs = await StreamClient.open(
      `${origin}${streamPaths.logs(cluster, ns.name, 'box')}?${query({
        ticket: await ticket(),
        follow: true,
        tailLines: 1,
      })}`,
    );
    await exec.until((c) => c.text('stdout').includes(marker));
    await logs.until((c) => c.text('data') !== '');
    const upstreams = async (): Promise<string> =>
      (await t.app.metrics.registry.getSingleMetricAsString('binnacle_stream_upstreams')).trim();
    expect(await upstreams()).toMatch(/kind="logs"} 1\n.*kind="exec"} 1$/);

    await t.app.close();
    for (const client of [exec, logs]) {
      expect((await client.closed).code).toBe(CloseCode.goingAway);
    }
    expect(await upstreams()).toMatch(/kind="logs"} 0\n.*kind="exec"} 0$/);
    await expect.poll(() => running(marker), { timeout: 3000, interval: 100 }).toBe(false);
  });
});
