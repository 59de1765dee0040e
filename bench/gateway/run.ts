// bench/gateway: a server page of 50 pods (sorted and filtered) from the gateway against a direct
// full LIST from the API server, and the upstream watches behind 200 live subscribers, on a local
// cluster of 10,000 pods. Run with: pnpm --filter @binnacle/bench gateway
import { kubectl, scaleNamespace } from '@binnacle/testcluster';
import { med, repeat, scaledCluster, scenario } from '../src/runner.ts';
import { median, mib, ratio, table } from '../src/stats.ts';
import { addCluster, rssOf, startGateway, type Gateway } from './gateway.ts';
import { openSubscribers } from './live.ts';

const pods = 10_000;
const subscribers = 200;

/** Watches of pods the API server is serving now (its own gauge of long-running requests). */
async function podWatches(k: ReturnType<typeof kubectl>): Promise<number> {
  const metrics = await k(['get', '--raw', '/metrics']);
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (
      line.startsWith('apiserver_longrunning_requests{') &&
      line.includes('resource="pods"') &&
      line.includes('verb="WATCH"') &&
      line.includes('subresource=""')
    ) {
      total += Number(line.split(' ').pop());
    }
  }
  return total;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const pageQuery = (page: number) =>
  new URLSearchParams({
    namespace: scaleNamespace,
    sort: 'name',
    order: 'desc',
    search: 'scale-',
    labelSelector: 'app=scale',
    page: String(page),
    pageSize: '50',
  }).toString();

async function pages(gateway: Gateway, cluster: string): Promise<{ cold: number; warm: number[] }> {
  const path = (page: number) =>
    `/k8s-api/v1/clusters/${cluster}/resources/pods?${pageQuery(page)}`;
  // The first page starts the informer (a full list and a watch); later pages come from memory.
  const cold = await timed(() => gateway.api('GET', path(1)));
  const warm: number[] = [];
  for (let i = 0; i < 21; i++) warm.push(await timed(() => gateway.api('GET', path(1 + (i % 7)))));
  return { cold, warm };
}

async function main(): Promise<void> {
  const state = await scaledCluster(pods);
  const k = kubectl(state);
  const gateway = await startGateway();
  const out: string[] = [];
  try {
    const cluster = await addCluster(gateway, state.kubeconfig);
    const rssBefore = await rssOf(gateway.pid);
    const baseline = await podWatches(k);
    const page = await pages(gateway, cluster);
    const direct = await repeat(7, ['raw'], () =>
      scenario({
        scenario: 'list',
        impl: 'raw',
        kubeconfig: state.kubeconfig,
        namespace: scaleNamespace,
      }),
    );
    const rawMs = med(direct.get('raw'), 'ms');
    const warm = median(page.warm);
    out.push(
      `### a page of 50 of ${String(pods)} pods (sorted by name, filtered by label and text)`,
      table(
        ['how', 'median time', 'vs direct full LIST'],
        [
          [
            'direct full LIST from the API server (raw HTTP + JSON.parse)',
            `${rawMs.toFixed(0)} ms`,
            '1.00×',
          ],
          ['gateway page, informer warm', `${warm.toFixed(1)} ms`, ratio(warm, rawMs)],
          [
            'gateway first page (starts the informer)',
            `${page.cold.toFixed(0)} ms`,
            ratio(page.cold, rawMs),
          ],
        ],
      ),
    );

    const afterPages = await podWatches(k);
    const live = await openSubscribers(
      gateway,
      { cluster, resource: 'pods', namespace: scaleNamespace },
      subscribers,
    );
    const watchesAfter = await podWatches(k);
    const rssAfter = await rssOf(gateway.pid);
    live.close();
    out.push(
      `### ${String(subscribers)} live subscribers of the pods of one namespace`,
      table(
        ['measure', 'value'],
        [
          ['upstream pod watches of the gateway after the pages', String(afterPages - baseline)],
          [
            'upstream pod watches of the gateway with the subscribers',
            String(watchesAfter - baseline),
          ],
          ['gateway RSS before the first page', mib(rssBefore)],
          ['gateway RSS with the informer and the subscribers', mib(rssAfter)],
        ],
      ),
    );
  } finally {
    await gateway.stop();
  }
  console.log(out.join('\n\n'));
}

await main();
