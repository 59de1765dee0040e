// bench/kube: Binnacle's client against raw HTTP, kubectl and @kubernetes/client-node on the same
// local cluster (10,000 pods on 100 fake nodes). Run with: pnpm --filter @binnacle/bench kube
import { appendFile } from 'node:fs/promises';
import { kubectl, scaleNamespace } from '@binnacle/testcluster';
import { med, repeat, scaledCluster, scenario, type Result } from '../src/runner.ts';
import { mib, ratio, table } from '../src/stats.ts';

const pods = 10_000;

async function main(): Promise<void> {
  const state = await scaledCluster(pods);
  const k = kubectl(state);
  const first = JSON.parse(
    await k(['get', '--raw', `/api/v1/namespaces/${scaleNamespace}/pods?limit=1`]),
  ) as {
    items: { metadata: { name: string } }[];
  };
  const pod = first.items[0]?.metadata.name ?? '';
  const env = { ...process.env, BINNACLE_BENCH_BIN: state.binDir };
  const base = { kubeconfig: state.kubeconfig, namespace: scaleNamespace };
  const out: string[] = [];

  const lists = await repeat(7, ['raw', 'binnacle', 'binnacle-paged', 'client-node'], (impl) =>
    scenario({ ...base, scenario: 'list', impl }, env),
  );
  const rawList = med(lists.get('raw'), 'ms');
  out.push(
    '### list 10,000 pods',
    table(
      ['client', 'median time', 'vs raw HTTP', 'peak RSS'],
      [...lists].map(([impl, rs]) => [
        impl,
        `${med(rs, 'ms').toFixed(0)} ms`,
        ratio(med(rs, 'ms'), rawList),
        mib(med(rs, 'maxRssMiB') * 1024 * 1024),
      ]),
    ),
  );

  const watches = await repeat(7, ['raw', 'binnacle', 'client-node'], (impl) =>
    scenario({ ...base, scenario: 'watch', impl, count: String(pods) }, env),
  );
  const rawWatch = med(watches.get('raw'), 'ms');
  out.push(
    '### watch 10,000 events',
    table(
      ['client', 'median time', 'vs raw HTTP', 'peak RSS'],
      [...watches].map(([impl, rs]) => [
        impl,
        `${med(rs, 'ms').toFixed(0)} ms`,
        ratio(med(rs, 'ms'), rawWatch),
        mib(med(rs, 'maxRssMiB') * 1024 * 1024),
      ]),
    ),
  );

  const execs = await repeat(3, ['kubectl', 'binnacle', 'client-node'], (impl) =>
    scenario({ ...base, scenario: 'exec', impl, pod, count: '300' }, env),
  );
  const kp99 = med(execs.get('kubectl'), 'p99');
  out.push(
    '### exec round trip (300 lines through `cat`)',
    table(
      ['client', 'p50', 'p99', 'p99 over kubectl'],
      [...execs].map(([impl, rs]) => [
        impl,
        `${med(rs, 'p50').toFixed(2)} ms`,
        `${med(rs, 'p99').toFixed(2)} ms`,
        `${(med(rs, 'p99') - kp99).toFixed(2)} ms`,
      ]),
    ),
  );

  // A backlog of ~32 MiB of log lines, then a marker: each client follows the log to the marker.
  const marker = `bench-end-${Date.now()}`;
  const line = `${new Date().toISOString()} stdout F ${'x'.repeat(200)}\n`;
  await appendFile(state.logsFile, line.repeat(Math.ceil((32 * 1024 * 1024) / line.length)));
  await appendFile(state.logsFile, `${new Date().toISOString()} stdout F ${marker}\n`);
  const logRuns = await repeat(7, ['kubectl', 'binnacle', 'client-node'], (impl) =>
    scenario({ ...base, scenario: 'logs', impl, pod, marker }, env),
  );
  const speed = (rs: Result[] | undefined) =>
    med(rs, 'bytes') / 1024 / 1024 / (med(rs, 'ms') / 1000);
  const kSpeed = speed(logRuns.get('kubectl'));
  out.push(
    '### log follow throughput',
    table(
      ['client', 'MiB/s', 'vs kubectl'],
      [...logRuns].map(([impl, rs]) => [
        impl,
        speed(rs).toFixed(1),
        `${((speed(rs) / kSpeed) * 100).toFixed(0)} %`,
      ]),
    ),
  );

  console.log(out.join('\n\n'));
}

await main();
