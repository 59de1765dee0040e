// Discovery against the real test cluster (Kubernetes 1.36, metrics-server, a few CRD sets).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeClient } from '../client.ts';
import { discover } from './discovery.ts';
import { testClient } from '../testing.ts';
import type { DiscoveredResource, DiscoveryResult } from './types.ts';

let client: KubeClient;
let aggregated: DiscoveryResult;
let legacy: DiscoveryResult;

beforeAll(async () => {
  client = testClient();
  [aggregated, legacy] = await Promise.all([
    discover(client),
    discover(client, { mode: 'legacy' }),
  ]);
});

afterAll(async () => {
  await client.close();
});

function get(
  result: DiscoveryResult,
  at: { group: string; version: string; plural: string },
): DiscoveredResource {
  const found = result.resources.find(
    (r) => r.group === at.group && r.version === at.version && r.plural === at.plural,
  );
  if (found === undefined) throw new Error(`${at.group}/${at.version}/${at.plural} not discovered`);
  return found;
}

describe('aggregated discovery', () => {
  test('is what the server answers, with nothing failed', () => {
    expect(aggregated.mode).toBe('aggregated');
    expect(aggregated.failedGroups).toEqual([]);
  });

  test('pods: namespaced, listable, watchable, with log and exec as subresources', () => {
    const pods = get(aggregated, { group: '', version: 'v1', plural: 'pods' });
    expect(pods).toMatchObject({ kind: 'Pod', singular: 'pod', namespaced: true, preferred: true });
    expect(pods.verbs).toEqual(expect.arrayContaining(['list', 'watch']));
    expect(pods.subresources).toEqual(expect.arrayContaining(['log', 'exec', 'status']));
    expect(pods.shortNames).toContain('po');
    expect(pods.categories).toContain('all');
  });

  test('subresources are not listed as resources', () => {
    expect(aggregated.resources.some((r) => r.plural.includes('/'))).toBe(false);
  });

  test('nodes are cluster-scoped; deployments have the short name deploy', () => {
    expect(get(aggregated, { group: '', version: 'v1', plural: 'nodes' }).namespaced).toBe(false);
    const deployments = get(aggregated, { group: 'apps', version: 'v1', plural: 'deployments' });
    expect(deployments).toMatchObject({ kind: 'Deployment', namespaced: true, preferred: true });
    expect(deployments.shortNames).toContain('deploy');
    expect(deployments.subresources).toEqual(expect.arrayContaining(['scale', 'status']));
  });

  test.each([
    {
      group: 'apps.kruise.io',
      version: 'v1alpha1',
      plural: 'clonesets',
      kind: 'CloneSet',
      namespaced: true,
      preferred: false,
    },
    {
      group: 'apps.kruise.io',
      version: 'v1alpha1',
      plural: 'statefulsets',
      kind: 'StatefulSet',
      namespaced: true,
      preferred: false,
    },
    {
      group: 'apps.kruise.io',
      version: 'v1beta1',
      plural: 'statefulsets',
      kind: 'StatefulSet',
      namespaced: true,
      preferred: true,
    },
    {
      group: 'traefik.io',
      version: 'v1alpha1',
      plural: 'ingressroutes',
      kind: 'IngressRoute',
      namespaced: true,
      preferred: true,
    },
    {
      group: 'tailscale.com',
      version: 'v1alpha1',
      plural: 'connectors',
      kind: 'Connector',
      namespaced: false,
      preferred: true,
    },
    {
      group: 'tailscale.com',
      version: 'v1alpha1',
      plural: 'proxyclasses',
      kind: 'ProxyClass',
      namespaced: false,
      preferred: true,
    },
    {
      group: 'tailscale.com',
      version: 'v1alpha1',
      plural: 'proxygroups',
      kind: 'ProxyGroup',
      namespaced: false,
      preferred: true,
    },
    {
      group: 'upgrade.cattle.io',
      version: 'v1',
      plural: 'plans',
      kind: 'Plan',
      namespaced: true,
      preferred: true,
    },
  ])('CRD $plural.$group $version', (want) => {
    expect(get(aggregated, want)).toMatchObject(want);
  });

  test('metrics.k8s.io (an aggregated API server) serves pods and nodes', () => {
    const pods = get(aggregated, { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods' });
    const nodes = get(aggregated, { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'nodes' });
    expect(pods).toMatchObject({ kind: 'PodMetrics', namespaced: true, singular: 'podmetrics' });
    expect(nodes).toMatchObject({ kind: 'NodeMetrics', namespaced: false });
  });
});

describe('legacy discovery', () => {
  test('is used when asked for', () => {
    expect(legacy.mode).toBe('legacy');
    expect(legacy.failedGroups).toEqual([]);
  });

  test('finds the same (group, plural) pairs as aggregated discovery', () => {
    const pairs = (r: DiscoveryResult): Set<string> =>
      new Set(r.resources.map((d) => `${d.group}/${d.plural}`));
    expect(pairs(legacy)).toEqual(pairs(aggregated));
    expect(pairs(aggregated).size).toBeGreaterThan(60);
  });

  test('agrees with aggregated discovery on every field of every resource', () => {
    const normal = (r: DiscoveryResult): DiscoveredResource[] =>
      r.resources
        .map((d) => ({
          ...d,
          verbs: [...d.verbs].sort(),
          subresources: [...d.subresources].sort(),
        }))
        .sort((a, b) =>
          `${a.group}/${a.version}/${a.plural}`.localeCompare(
            `${b.group}/${b.version}/${b.plural}`,
          ),
        );
    expect(normal(legacy)).toEqual(normal(aggregated));
  });
});

test('an aborted discovery rejects', async () => {
  const controller = new AbortController();
  controller.abort();
  await expect(
    discover(client, { mode: 'legacy', signal: controller.signal }),
  ).rejects.toMatchObject({
    reason: 'Aborted',
  });
});
