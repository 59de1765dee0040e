import { useNamespace } from '@binnacle/testcluster/vitest/namespace';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { KubeClient } from '../client.ts';
import { core } from '../resource.ts';
import { logs } from '../streams/logs.ts';
import { connectionFromFile, createKwokPod } from '../testing.ts';
import { watch } from '../watch/watch.ts';

const ns = useNamespace('kube-lanes');
// One connection for requests: a watch or a followed log that took it would block every get.
const client = new KubeClient(connectionFromFile(inject('kubeconfig')), { connections: 1 });
afterAll(() => client.close());

describe('two lanes per cluster', () => {
  it('answers gets while watches and followed logs are open', async () => {
    await createKwokPod(ns, 'talker');
    const controller = new AbortController();
    const watches = Array.from({ length: 8 }, () =>
      watch(client, core.configmaps, {
        namespace: ns.name,
        sendInitialEvents: true,
        signal: controller.signal,
      }),
    );
    // each watch is open once its first event (or the initial-events bookmark) arrived
    await Promise.all(watches.map((w) => w.next()));
    const followed = await Promise.all(
      Array.from({ length: 4 }, () =>
        logs(client, {
          namespace: ns.name,
          pod: 'talker',
          follow: true,
          signal: controller.signal,
        }),
      ),
    );
    for (const body of followed) body.on('error', () => undefined);
    try {
      for (let i = 0; i < 5; i += 1) {
        const pod = await client.get(
          core.pods,
          { namespace: ns.name, name: 'talker' },
          { signal: AbortSignal.timeout(5000) },
        );
        expect(pod.metadata.name).toBe('talker');
      }
    } finally {
      controller.abort();
      await Promise.all(watches.map((w) => w.return(undefined).catch(() => undefined)));
      for (const body of followed) body.destroy();
    }
  });
});
