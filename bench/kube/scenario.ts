// One benchmark scenario with one implementation, in a process of its own so that its peak RSS is
// its own. Prints one JSON line: { ms, maxRssMiB, ...extra }.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  KubeClient,
  connectionFromKubeconfig,
  core,
  localPolicy,
  parseKubeconfig,
  watch,
} from '@binnacle/kube';
import { Agent, request } from 'undici';
import { clientNode } from './client-node.ts';
import { execRoundTrips, logThroughput } from './streams.ts';

export type Scenario = 'list' | 'watch' | 'exec' | 'logs';
export type Impl = 'raw' | 'binnacle' | 'binnacle-paged' | 'client-node';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    impl: { type: 'string' },
    kubeconfig: { type: 'string' },
    namespace: { type: 'string', default: 'scale' },
    pod: { type: 'string', default: '' },
    count: { type: 'string', default: '10000' },
    marker: { type: 'string', default: '' },
  },
});

const kubeconfigPath = values.kubeconfig ?? '';
const conn = connectionFromKubeconfig(parseKubeconfig(readFileSync(kubeconfigPath, 'utf8')), {
  policy: localPolicy,
}).connection;
const ns = values.namespace;
const count = Number(values.count);

function rawAgent(): Agent {
  return new Agent({ connect: { ca: conn.ca, cert: conn.cert, key: conn.key } });
}

async function list(impl: string): Promise<Record<string, number>> {
  if (impl === 'raw') {
    const res = await request(`${conn.server}/api/v1/namespaces/${ns}/pods`, {
      dispatcher: rawAgent(),
    });
    const body = (await res.body.json()) as { items: unknown[] };
    return { items: body.items.length };
  }
  if (impl === 'client-node') return { items: await clientNode(kubeconfigPath).listPods(ns) };
  const client = new KubeClient(conn);
  if (impl === 'binnacle')
    return { items: (await client.list(core.pods, { namespace: ns })).items.length };
  let items = 0;
  for await (const page of client.listPages(core.pods, { namespace: ns, limit: 500 }))
    items += page.items.length;
  return { items };
}

async function watchEvents(impl: string): Promise<Record<string, number>> {
  if (impl === 'client-node')
    return { events: await clientNode(kubeconfigPath).watchPods(ns, count) };
  if (impl === 'raw') {
    const res = await request(
      `${conn.server}/api/v1/namespaces/${ns}/pods?watch=1&resourceVersion=0`,
      {
        dispatcher: rawAgent(),
        bodyTimeout: 0,
      },
    );
    let events = 0;
    let rest = '';
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const event = JSON.parse(line || 'null') as { type?: string } | null;
        if (event?.type) events += 1;
      }
      if (events >= count) break;
    }
    res.body.destroy();
    return { events };
  }
  const client = new KubeClient(conn);
  let events = 0;
  for await (const event of watch(client, core.pods, { namespace: ns, resourceVersion: '0' })) {
    if (event.type !== 'BOOKMARK') events += 1;
    if (events >= count) break;
  }
  return { events };
}

async function main(): Promise<void> {
  const impl = values.impl ?? '';
  const t0 = performance.now();
  let extra: Record<string, number>;
  switch (values.scenario) {
    case 'list':
      extra = await list(impl);
      break;
    case 'watch':
      extra = await watchEvents(impl);
      break;
    case 'exec':
      extra = await execRoundTrips({
        impl,
        conn,
        kubeconfigPath,
        namespace: ns,
        pod: values.pod,
        count,
      });
      break;
    case 'logs':
      extra = await logThroughput({
        impl,
        conn,
        kubeconfigPath,
        namespace: ns,
        pod: values.pod,
        marker: values.marker,
      });
      break;
    default:
      throw new Error(`unknown scenario ${String(values.scenario)}`);
  }
  const ms = performance.now() - t0;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ms, maxRssMiB, ...extra })}\n`);
  process.exit(0);
}

await main();
