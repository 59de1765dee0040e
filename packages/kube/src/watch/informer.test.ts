import { useNamespace } from '@binnacle/testcluster/vitest/namespace';
import { afterAll, describe, expect, it } from 'vitest';
import { core } from '../resource.ts';
import {
  expiredResourceVersion,
  podTemplate,
  singleSocketClient,
  socketIsFree,
  testClient,
} from '../testing.ts';
import type { KubeObject } from '../types.ts';
import { Informer } from './informer.ts';

const ns = useNamespace('kube-informer');
const client = testClient();
afterAll(() => client.close());

const cm = (name: string, value = '1'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns.name, labels: { test: 'informer' } },
  data: { value },
});

function record(informer: Informer): string[] {
  const log: string[] = [];
  informer.on('add', (o) => log.push(`add ${o.metadata.name ?? ''}`));
  informer.on('update', (o) => log.push(`update ${o.metadata.name ?? ''}`));
  informer.on('delete', (o) => log.push(`delete ${o.metadata.name ?? ''}`));
  return log;
}

describe.each([
  ['streaming list', true],
  ['paged list', false],
] as const)('informer with a %s', (_label, streamingList) => {
  it('syncs, then reports every add, update and delete once, without managedFields', async () => {
    const selector = `test=informer,mode=${String(streamingList)}`;
    const label = (o: KubeObject): KubeObject => ({
      ...o,
      metadata: { ...o.metadata, labels: { test: 'informer', mode: String(streamingList) } },
    });
    await client.create(core.configmaps, label(cm(`before-${String(streamingList)}`)));
    // One socket: if stop() left the watch open, the check after it could not get through.
    const own = singleSocketClient();
    const informer = new Informer(own, {
      type: core.configmaps,
      namespace: ns.name,
      labelSelector: selector,
      streamingList,
    });
    const log = record(informer);
    informer.start();
    await informer.synced;
    expect(log).toEqual([`add before-${String(streamingList)}`]);
    expect(informer.list()[0]?.metadata.managedFields).toBeUndefined();

    const name = `after-${String(streamingList)}`;
    await client.create(core.configmaps, label(cm(name)));
    await client.patch(
      core.configmaps,
      { namespace: ns.name, name },
      { data: { value: '2' } },
      { type: 'merge' },
    );
    await client.delete(core.configmaps, { namespace: ns.name, name });
    await expect.poll(() => log.length).toBe(4);
    expect(log.slice(1)).toEqual([`add ${name}`, `update ${name}`, `delete ${name}`]);
    expect(informer.health()).toMatchObject({ connected: true, synced: true, errorCount: 0 });

    await informer.stop();
    expect(informer.health().connected).toBe(false);
    expect(await socketIsFree(own, 10_000)).toBe(true);
    await own.close();
  });
});

describe('informer recovery', () => {
  it('relists after 410 Gone and reports the differences as events', async () => {
    const resumeFrom = await expiredResourceVersion(client, ns.name);
    await client.create(core.podtemplates, podTemplate(ns.name, 'gone-1'));
    const informer = new Informer(client, {
      type: core.podtemplates,
      namespace: ns.name,
      streamingList: false,
      // Resuming from a version the server no longer keeps forces the 410 path.
      resumeFrom,
    });
    const log = record(informer);
    informer.start();
    await informer.synced;
    expect(informer.health().expired).toBeGreaterThanOrEqual(1);
    expect(log).toContain('add gone-1');
    expect(informer.list().map((o) => o.metadata.name)).toContain('gone-1');
    await informer.stop();
  });
});
