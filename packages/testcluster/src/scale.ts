// `scale`: N pods on M fake nodes, in a namespace of their own, for benchmarks.
import type { ClusterState } from './cluster.ts';
import { addNodes, waitForNodes } from './cluster.ts';
import { kubectlFor } from './kubectl.ts';
import { scaleDeployment, toList } from './objects.ts';
import { waitFor } from './wait.ts';

export const scaleNamespace = 'scale';

export interface ScaleResult {
  pods: number;
  nodes: number;
  /** From the first node created until every pod is Running. */
  seconds: number;
  /** Bytes of one pod's JSON as the API server returns it, with and without managedFields. */
  podJsonBytes: number;
  podJsonBytesWithoutManagedFields: number;
}

/** The size of one pod's JSON, as served and with managedFields stripped (as the gateway will). */
export async function podSizes(
  k: ReturnType<typeof kubectlFor>,
  namespace: string,
): Promise<{ full: number; stripped: number }> {
  const first = JSON.parse(
    await k(['get', '--raw', `/api/v1/namespaces/${namespace}/pods?limit=1`]),
  ) as {
    items: { metadata: { name: string } }[];
  };
  const name = first.items[0]?.metadata.name;
  if (!name) throw new Error(`no pod in namespace ${namespace}`);
  const raw = await k(['get', '--raw', `/api/v1/namespaces/${namespace}/pods/${name}`]);
  const pod = JSON.parse(raw) as { metadata: Record<string, unknown> };
  delete pod.metadata.managedFields;
  return { full: Buffer.byteLength(raw), stripped: Buffer.byteLength(JSON.stringify(pod)) };
}

export async function scale(
  state: ClusterState,
  options: { pods: number; nodes: number; log?: (line: string) => void },
): Promise<ScaleResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const k = kubectlFor(state.binDir, state.kubeconfig);
  const t0 = Date.now();
  await addNodes(k, { count: options.nodes, prefix: 'scale-node', pool: 'scale' });
  await waitForNodes(k, { pool: 'scale', count: options.nodes });
  log(
    `testcluster: ${options.nodes} scale nodes ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: scaleNamespace } };
  await k(['apply', '--server-side', '-f', '-'], { input: toList([namespace]) });
  await waitFor(
    async () =>
      (await k([
        'get',
        'sa',
        'default',
        '-n',
        scaleNamespace,
        '--ignore-not-found',
        '-o',
        'name',
      ])) !== '',
    { what: 'the default service account of the scale namespace', timeoutMs: 60_000 },
  );
  await k(['apply', '--server-side', '--force-conflicts', '-f', '-'], {
    input: JSON.stringify(scaleDeployment({ namespace: scaleNamespace, replicas: options.pods })),
  });
  let last = -1;
  await waitFor(
    async () => {
      const ready = Number(
        (await k([
          'get',
          'deployment',
          'scale',
          '-n',
          scaleNamespace,
          '-o',
          'jsonpath={.status.readyReplicas}',
        ])) || 0,
      );
      if (ready !== last && ready % 1000 < 100)
        log(`testcluster: ${ready}/${options.pods} pods running`);
      last = ready;
      return ready >= options.pods;
    },
    { what: `${options.pods} running pods`, timeoutMs: 30 * 60_000, intervalMs: 2_000 },
  );
  const seconds = (Date.now() - t0) / 1000;
  log(
    `testcluster: ${options.pods} pods running on ${options.nodes} nodes after ${seconds.toFixed(1)} s`,
  );
  const sizes = await podSizes(k, scaleNamespace);
  return {
    pods: options.pods,
    nodes: options.nodes,
    seconds,
    podJsonBytes: sizes.full,
    podJsonBytesWithoutManagedFields: sizes.stripped,
  };
}
