// bench/kube/lanes: how fast a get answers while many watches are open, for the ways a client can
// carry both: one HTTP/1.1 pool (the old design), two HTTP/1.1 lanes, HTTP/2 on two lanes, and
// HTTP/2 with everything on one lane (multiplexed). Runs against an existing cluster:
//   TEST_KUBECONFIG=… pnpm --filter @binnacle/bench kube:lanes
import { readFileSync } from 'node:fs';
import {
  connectionFromKubeconfig,
  core,
  KubeClient,
  localPolicy,
  parseKubeconfig,
  type Lane,
} from '@binnacle/kube';
import { percentile, table } from '../src/stats.ts';

const kubeconfig = process.env['TEST_KUBECONFIG'];
if (kubeconfig === undefined) throw new Error('set TEST_KUBECONFIG to an admin kubeconfig');
const connection = connectionFromKubeconfig(parseKubeconfig(readFileSync(kubeconfig, 'utf8')), {
  policy: localPolicy,
}).connection;

const watches = Number(process.env['BENCH_WATCHES'] ?? 150);
const gets = Number(process.env['BENCH_GETS'] ?? 200);
const concurrency = 8;
const getTimeoutMs = 5_000;

interface Setup {
  name: string;
  http2: boolean;
  /** The lane watches go on ('request': the same pool as the gets). */
  watchLane: Lane;
}

const setups: Setup[] = [
  { name: 'one HTTP/1.1 pool of 32 (before)', http2: false, watchLane: 'request' },
  { name: 'two HTTP/1.1 lanes', http2: false, watchLane: 'stream' },
  { name: 'HTTP/2, two lanes', http2: true, watchLane: 'stream' },
  { name: 'HTTP/2, one multiplexed lane', http2: true, watchLane: 'request' },
];

async function openWatches(client: KubeClient, lane: Lane, signal: AbortSignal): Promise<void> {
  // Different selectors, so that each is its own watch on the server.
  const opened = Array.from({ length: watches }, async (_, i) => {
    const res = await client.raw({
      path: '/api/v1/configmaps',
      query: { watch: 1, labelSelector: `bench-lane=${String(i)}`, allowWatchBookmarks: true },
      bodyTimeoutMs: 0,
      lane,
      signal,
    });
    res.body.on('error', () => undefined);
    res.body.resume();
  });
  // Past a pool's bound a watch waits for a socket; do not wait for those.
  await Promise.race([
    Promise.allSettled(opened),
    new Promise((resolve) => setTimeout(resolve, 3_000)),
  ]);
}

async function measure(setup: Setup): Promise<string[]> {
  const client = new KubeClient(connection, { http2: setup.http2 });
  const controller = new AbortController();
  try {
    // warm both lanes' connections first
    await client.get(core.namespaces, { name: 'default' });
    await openWatches(client, setup.watchLane, controller.signal);
    const samples: number[] = [];
    let timeouts = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < gets) {
        next += 1;
        const t0 = performance.now();
        try {
          await client.get(
            core.namespaces,
            { name: 'default' },
            { signal: AbortSignal.timeout(getTimeoutMs) },
          );
          samples.push(performance.now() - t0);
        } catch {
          timeouts += 1;
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    return [
      setup.name,
      samples.length ? `${percentile(samples, 50).toFixed(1)} ms` : '-',
      samples.length ? `${percentile(samples, 99).toFixed(1)} ms` : '-',
      `${(samples.length / seconds).toFixed(0)}/s`,
      String(timeouts),
    ];
  } finally {
    controller.abort();
    await client.close();
  }
}

const rows: string[][] = [];
for (const setup of setups) rows.push(await measure(setup));
console.log(
  `### ${String(gets)} gets (${String(concurrency)} at a time) while ${String(watches)} watches are open`,
);
console.log(
  table(['transport', 'p50', 'p99', 'gets/s', `timeouts (${String(getTimeoutMs / 1000)} s)`], rows),
);
