// Finds every resource the cluster serves: aggregated discovery when the server has it (two
// requests), legacy discovery otherwise (one request per group version).
import type { KubeClient } from '../client.ts';
import { KubeError } from '../errors.ts';
import { groupVersionPath } from '../resource.ts';
import { aggregatedAccept, fromAggregated, isAggregated } from './aggregated.ts';
import {
  legacyTargets,
  mergeLegacy,
  type GroupVersionOutcome,
  type GroupVersionTarget,
} from './legacy.ts';
import { mapLimit } from './limit.ts';
import type { ApiGroupList, ApiResourceList, ApiVersions, DiscoveryResult } from './types.ts';

export interface DiscoverOptions {
  signal?: AbortSignal;
  /** `auto` uses aggregated discovery when served; `legacy` always asks version by version. */
  mode?: 'auto' | 'legacy';
  /** Group versions fetched at once in legacy mode. */
  concurrency?: number;
}

export async function discover(
  client: KubeClient,
  options: DiscoverOptions = {},
): Promise<DiscoveryResult> {
  const signal = options.signal ? { signal: options.signal } : {};
  const accept = options.mode === 'legacy' ? 'application/json' : aggregatedAccept;
  const [api, apis] = await Promise.all([
    client.request<unknown>({ path: '/api', accept, ...signal }),
    client.request<unknown>({ path: '/apis', accept, ...signal }),
  ]);
  if (isAggregated(api) && isAggregated(apis)) {
    return { ...fromAggregated([api, apis]), mode: 'aggregated' };
  }
  // A server without aggregated discovery has just answered the legacy roots.
  const [core, groups] =
    isApiVersions(api) && isApiGroupList(apis)
      ? [api, apis]
      : await Promise.all([
          client.request<unknown>({ path: '/api', ...signal }),
          client.request<unknown>({ path: '/apis', ...signal }),
        ]);
  if (!isApiVersions(core) || !isApiGroupList(groups)) {
    throw new KubeError({
      code: 0,
      reason: 'ProtocolError',
      message: 'the API server answered /api or /apis with an unknown document',
    });
  }
  const outcomes = await mapLimit(legacyTargets(core, groups), options.concurrency ?? 8, (target) =>
    fetchGroupVersion(client, { target, signal: options.signal }),
  );
  return { ...mergeLegacy(outcomes), mode: 'legacy' };
}

async function fetchGroupVersion(
  client: KubeClient,
  { target, signal }: { target: GroupVersionTarget; signal: AbortSignal | undefined },
): Promise<GroupVersionOutcome> {
  try {
    const list = await client.request<ApiResourceList>({
      path: groupVersionPath(target),
      ...(signal ? { signal } : {}),
    });
    return { ...target, list };
  } catch (err) {
    // Cancelling the whole discovery is not one group's failure.
    if (signal?.aborted || (err instanceof KubeError && err.reason === 'Aborted')) throw err;
    return { ...target, error: err instanceof Error ? err.message : String(err) };
  }
}

function isApiVersions(body: unknown): body is ApiVersions {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { kind?: unknown }).kind === 'APIVersions' &&
    Array.isArray((body as { versions?: unknown }).versions)
  );
}

function isApiGroupList(body: unknown): body is ApiGroupList {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { kind?: unknown }).kind === 'APIGroupList' &&
    Array.isArray((body as { groups?: unknown }).groups)
  );
}
