// Running scenarios: each in a process of its own (so its peak RSS is its own), interleaved.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kubectl, scale, scaleNamespace, up, type ClusterState } from '@binnacle/testcluster';
import { median } from './stats.ts';

const run = promisify(execFile);
const kubeDir = new URL('../kube/', import.meta.url).pathname;

export interface Result {
  ms: number;
  maxRssMiB: number;
  [key: string]: number;
}

/** Runs bench/kube/scenario.ts with these flags; answers its JSON line. */
export async function scenario(
  args: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Result> {
  const flags = Object.entries(args).flatMap(([k, v]) => [`--${k}`, v]);
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(kubeDir, 'scenario.ts'), ...flags],
    { env, maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Result;
}

export async function repeat<R>(
  times: number,
  impls: string[],
  fn: (impl: string) => Promise<R>,
): Promise<Map<string, R[]>> {
  const results = new Map<string, R[]>(impls.map((i) => [i, []]));
  // Interleaved, so that a noisy minute hurts every implementation alike.
  for (let r = 0; r < times; r++) for (const impl of impls) results.get(impl)?.push(await fn(impl));
  return results;
}

export const med = (rs: Result[] | undefined, key: string): number =>
  median((rs ?? []).map((r) => r[key] ?? NaN));

/** The "bench" test cluster with `pods` pods on 100 fake nodes in the scale namespace. */
export async function scaledCluster(pods: number): Promise<ClusterState> {
  const state = await up({ name: 'bench' });
  const have = Number(
    (await kubectl(state)([
      'get',
      'deployment',
      'scale',
      '-n',
      scaleNamespace,
      '--ignore-not-found',
      '-o',
      'jsonpath={.status.readyReplicas}',
    ])) || 0,
  );
  if (have < pods) await scale(state, { pods, nodes: 100 });
  return state;
}
