import { useNamespace } from '@binnacle/testcluster/vitest/namespace';
import { afterAll, describe, expect, it } from 'vitest';
import { KubeError } from '../errors.ts';
import { core } from '../resource.ts';
import {
  expiredResourceVersion,
  singleSocketClient,
  socketIsFree,
  testClient,
} from '../testing.ts';
import { initialEventsEnd, watch, type WatchEvent } from './watch.ts';

const ns = useNamespace('kube-watch');
const client = testClient();
afterAll(() => client.close());

const cm = (name: string, value = '1') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns.name },
  data: { value },
});

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED events from a resourceVersion', async () => {
    const start = (await client.list(core.configmaps, { namespace: ns.name, limit: 1 })).metadata
      .resourceVersion;
    await client.create(core.configmaps, cm('w1'));
    await client.patch(
      core.configmaps,
      { namespace: ns.name, name: 'w1' },
      { data: { value: '2' } },
      { type: 'merge' },
    );
    await client.delete(core.configmaps, { namespace: ns.name, name: 'w1' });
    const seen: string[] = [];
    const controller = new AbortController();
    for await (const event of watch(client, core.configmaps, {
      namespace: ns.name,
      resourceVersion: start,
      fieldSelector: 'metadata.name=w1',
      signal: controller.signal,
    })) {
      if (event.type !== 'BOOKMARK') seen.push(event.type);
      if (event.type === 'DELETED') break;
    }
    expect(seen).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('serves a streaming list: initial objects, then the end bookmark', async () => {
    for (const name of ['s1', 's2', 's3']) await client.create(core.configmaps, cm(name));
    const events: WatchEvent[] = [];
    for await (const event of watch(client, core.configmaps, {
      namespace: ns.name,
      sendInitialEvents: true,
      labelSelector: '',
    })) {
      events.push(event);
      if (
        event.type === 'BOOKMARK' &&
        event.object.metadata.annotations?.[initialEventsEnd] === 'true'
      )
        break;
    }
    const names = events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['s1', 's2', 's3']));
    expect(events.at(-1)?.type).toBe('BOOKMARK');
  });

  it('answers a too-old resourceVersion with 410 Gone', async () => {
    const resourceVersion = await expiredResourceVersion(client, ns.name);
    let error: unknown;
    try {
      for await (const event of watch(client, core.podtemplates, {
        namespace: ns.name,
        resourceVersion,
      })) {
        expect.unreachable(`no event is expected before the error, got ${event.type}`);
      }
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).code).toBe(410);
    expect((error as KubeError).reason).toBe('Expired');
  });

  it('releases the socket when the caller stops reading', async () => {
    const one = singleSocketClient();
    const iterator = watch(one, core.configmaps, { namespace: ns.name, sendInitialEvents: true });
    await iterator.next();
    // The watch holds the client's only socket, so another request has to wait...
    expect(await socketIsFree(one, 1_000)).toBe(false);
    await iterator.return(undefined);
    // ...until the caller stops reading.
    expect(await socketIsFree(one, 10_000)).toBe(true);
    await one.close();
  });
});
