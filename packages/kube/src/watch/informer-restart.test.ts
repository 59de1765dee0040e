// An informer must live through its API server going away and coming back: no event lost, none
// repeated. This restarts the shared test cluster's API server, so the package runs its files one
// at a time.
import { restartComponent, stateOfKubeconfig } from '@binnacle/testcluster';
import { useNamespace } from '@binnacle/testcluster/vitest/namespace';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { core } from '../resource.ts';
import { testClient } from '../testing.ts';
import { Informer } from './informer.ts';

const ns = useNamespace('kube-restart');
const client = testClient();
afterAll(() => client.close());

const cm = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns.name, labels: { test: 'restart' } },
  data: { value: name },
});

describe('informer across an API server restart', () => {
  it('resumes and sees every change exactly once', async () => {
    const state = await stateOfKubeconfig(inject('kubeconfig'));
    if (!state)
      throw new Error(
        'this test restarts the API server of a cluster started by @binnacle/testcluster',
      );
    const informer = new Informer(client, {
      type: core.configmaps,
      namespace: ns.name,
      labelSelector: 'test=restart',
      backoff: { initialMs: 200, maxMs: 2_000 },
    });
    const adds: string[] = [];
    const updates: string[] = [];
    informer.on('add', (o) => adds.push(o.metadata.name ?? ''));
    informer.on('update', (o) => updates.push(o.metadata.name ?? ''));
    informer.start();
    await informer.synced;

    for (let i = 0; i < 5; i++) await client.create(core.configmaps, cm(`before-${i}`));
    await restartComponent(state, { component: 'kube-apiserver', downtimeMs: 1_000 });
    for (let i = 0; i < 5; i++) await client.create(core.configmaps, cm(`after-${i}`));
    await client.patch(
      core.configmaps,
      { namespace: ns.name, name: 'before-0' },
      { data: { value: 'x' } },
      { type: 'merge' },
    );

    const expected = [
      ...[0, 1, 2, 3, 4].map((i) => `before-${i}`),
      ...[0, 1, 2, 3, 4].map((i) => `after-${i}`),
    ];
    await expect
      .poll(() => [...adds].sort(), { timeout: 60_000, interval: 200 })
      .toEqual([...expected].sort());
    await expect.poll(() => updates, { timeout: 30_000 }).toEqual(['before-0']);
    expect(informer.health().errorCount).toBeGreaterThan(0);
    expect(informer.health().connected).toBe(true);
    await informer.stop();
  }, 180_000);
});
