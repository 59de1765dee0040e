// A pod's status the way `kubectl get pods` reports it: the reason of a waiting or terminated
// container wins over the phase, and a pod being deleted is "Terminating".
import { field, list } from './columns.ts';
import type { KubeObject } from './types.ts';

interface ContainerState {
  waiting?: { reason?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number };
  running?: unknown;
}

function statuses(
  pod: KubeObject,
  path: string,
): { ready?: boolean; restartCount?: number; state?: ContainerState }[] {
  return list(pod, path) as { ready?: boolean; restartCount?: number; state?: ContainerState }[];
}

export function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp !== undefined) return 'Terminating';
  let reason =
    (field(pod, 'status.reason') as string | undefined) ??
    (field(pod, 'status.phase') as string | undefined) ??
    'Unknown';
  for (const { state } of statuses(pod, 'status.initContainerStatuses')) {
    const waiting = state?.waiting?.reason;
    const terminated = state?.terminated;
    if (terminated !== undefined && terminated.exitCode !== 0)
      return `Init:${terminated.reason ?? 'Error'}`;
    if (waiting !== undefined && waiting !== 'PodInitializing') return `Init:${waiting}`;
  }
  for (const { state } of statuses(pod, 'status.containerStatuses')) {
    if (state?.waiting?.reason !== undefined) reason = state.waiting.reason;
    else if (state?.terminated?.reason !== undefined) reason = state.terminated.reason;
  }
  return reason;
}

/** "ready/total" containers. */
export function podReady(pod: KubeObject): string {
  const all = statuses(pod, 'status.containerStatuses');
  const total = Math.max(all.length, list(pod, 'spec.containers').length);
  return `${all.filter((status) => status.ready === true).length}/${total}`;
}

export function podRestarts(pod: KubeObject): number {
  return statuses(pod, 'status.containerStatuses').reduce(
    (sum, status) => sum + (status.restartCount ?? 0),
    0,
  );
}

/** The names of a pod's containers, init containers first. */
export function podContainers(pod: KubeObject): string[] {
  const names = (path: string) =>
    (list(pod, path) as { name?: unknown }[])
      .map((container) => container.name)
      .filter((name): name is string => typeof name === 'string');
  return [...names('spec.containers'), ...names('spec.initContainers')];
}
