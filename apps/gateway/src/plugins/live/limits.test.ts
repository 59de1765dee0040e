// The bounds of one live socket against the real test cluster: subscriptions per socket and the
// size of a snapshot (settings BINNACLE_LIVE_MAX_SUBSCRIPTIONS and BINNACLE_LIVE_MAX_SNAPSHOT_BYTES),
// each refused with an error that names the limit and carries the HTTP-style status.
import { LiveType } from '@binnacle/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, useNamespace } from '../../../test/clusters-cluster.js';
import { listen, LiveClient } from '../../../test/live-client.js';
import { resourcesTestApp, type ResourcesTestApp } from '../../../test/resources-app.js';
import { createPods, eventually } from '../../../test/resources-cluster.js';

const small = useNamespace('lim-small');
const big = useNamespace('lim-big');
const admin = adminClient();
let t: ResourcesTestApp;
let cluster: string;
let base: string;

beforeAll(async () => {
  t = await resourcesTestApp({
    resources: { informerIdleMs: 300 },
    live: { maxSubscriptions: 3, maxSnapshotBytes: 16 * 1024 },
  });
  cluster = await t.importCluster('limits');
  base = await listen(t.app);
  await createPods(admin, small.name, [{ name: 'one' }]);
  // 20 pods of about 2 kB each: more than 16 KiB of snapshot
  await createPods(
    admin,
    big.name,
    Array.from({ length: 20 }, (_, i) => ({
      name: `p${String(i)}`,
      labels: { filler: 'x'.repeat(60) },
    })),
  );
});
afterAll(async () => {
  await t.close();
  await admin.close();
});

const subscribe = (id: string, namespace: string, mode: 'objects' | 'changes' = 'objects') => ({
  type: LiveType.subscribe,
  id,
  cluster,
  resource: 'pods',
  namespace,
  mode,
});

describe('live socket limits', () => {
  it('refuses a subscription past the bound of the socket with a 429-style error', async () => {
    const socket = await LiveClient.open(base, { headers: t.admin.headers });
    for (const id of ['a', 'b', 'c', 'd']) socket.send(subscribe(id, small.name));
    const error = await socket.waitFor((m) => m.type === LiveType.error);
    expect(error).toMatchObject({
      id: 'd',
      code: 'TooManySubscriptions',
      status: 429,
      message: /at most 3 subscriptions \(BINNACLE_LIVE_MAX_SUBSCRIPTIONS\)/,
    });
    await eventually(
      () => socket.messages.filter((m) => m.type === LiveType.snapshot).length === 3,
    );
    // an unsubscribe makes room again
    socket.send({ type: LiveType.unsubscribe, id: 'a' });
    socket.send(subscribe('e', small.name));
    await socket.waitFor((m) => m.type === LiveType.snapshot && m.id === 'e');
    socket.close();
  });

  it('ends a subscription whose snapshot is too large with a 413-style error, not a cut list', async () => {
    const socket = await LiveClient.open(base, { headers: t.admin.headers });
    socket.send(subscribe('big', big.name));
    const error = await socket.waitFor((m) => m.type === LiveType.error && m.id === 'big');
    expect(error).toMatchObject({
      code: 'SnapshotTooLarge',
      status: 413,
      message:
        /20 objects take .* more than the 16 KiB .*BINNACLE_LIVE_MAX_SNAPSHOT_BYTES.*mode "changes"/,
    });
    expect(socket.messages.some((m) => m.type === LiveType.snapshot)).toBe(false);
    // the way the error points to works: changes mode on the same scope
    socket.send(subscribe('paged', big.name, 'changes'));
    await socket.waitFor((m) => m.type === LiveType.subscribed && m.id === 'paged');
    // and the subscription that failed holds nothing
    await eventually(() =>
      t.app.informers
        .running()
        .filter((i) => i.namespace === big.name)
        .every((i) => i.users === 1),
    );
    socket.close();
  });
});
