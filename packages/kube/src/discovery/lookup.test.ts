import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeClient } from '../client.ts';
import { discover } from './discovery.ts';
import { groupRank, ResourceIndex, toResourceType } from './lookup.ts';
import { testClient } from '../testing.ts';
import type { DiscoveredResource } from './types.ts';

test.each([
  { group: '', rank: 0 },
  { group: 'apps', rank: 1 },
  { group: 'batch', rank: 1 },
  { group: 'metrics.k8s.io', rank: 1 },
  { group: 'rbac.authorization.k8s.io', rank: 1 },
  { group: 'apps.kruise.io', rank: 2 },
  { group: 'k8s.io.example.com', rank: 2 },
  { group: 'traefik.io', rank: 2 },
])('groupRank($group) = $rank', ({ group, rank }) => {
  expect(groupRank(group)).toBe(rank);
});

function resource(
  at: Partial<DiscoveredResource> &
    Pick<DiscoveredResource, 'group' | 'version' | 'plural' | 'kind'>,
): DiscoveredResource {
  return {
    singular: at.kind.toLowerCase(),
    namespaced: true,
    verbs: [],
    shortNames: [],
    categories: [],
    subresources: [],
    preferred: true,
    ...at,
  };
}

test('built-in groups win over custom ones even when the server lists the custom one first', () => {
  const index = new ResourceIndex([
    resource({
      group: 'apps.example.com',
      version: 'v1',
      plural: 'statefulsets',
      kind: 'StatefulSet',
      shortNames: ['sts'],
    }),
    resource({
      group: 'apps',
      version: 'v1',
      plural: 'statefulsets',
      kind: 'StatefulSet',
      shortNames: ['sts'],
    }),
  ]);
  expect(index.find('sts')?.group).toBe('apps');
  expect(index.find('statefulsets.apps.example.com')?.group).toBe('apps.example.com');
});

describe('on the test cluster', () => {
  let client: KubeClient;
  let index: ResourceIndex;

  beforeAll(async () => {
    client = testClient();
    index = new ResourceIndex((await discover(client)).resources);
  });

  afterAll(async () => {
    await client.close();
  });

  test.each([
    ['Deployment', 'apps/v1/deployments'],
    ['deployment', 'apps/v1/deployments'],
    ['deployments', 'apps/v1/deployments'],
    ['deploy', 'apps/v1/deployments'],
    ['DEPLOY', 'apps/v1/deployments'],
    [' deployments ', 'apps/v1/deployments'],
    ['deployments.apps', 'apps/v1/deployments'],
    ['Deployment.v1.apps', 'apps/v1/deployments'],
    ['deployments.v1.apps', 'apps/v1/deployments'],
    ['apps/v1/deployments', 'apps/v1/deployments'],
    ['apps/v1/Deployment', 'apps/v1/deployments'],
    ['apps/deployments', 'apps/v1/deployments'],
    ['pods', '/v1/pods'],
    ['po', '/v1/pods'],
    ['Pod', '/v1/pods'],
    ['v1/pods', '/v1/pods'],
    ['pods.v1', '/v1/pods'],
    ['nodes', '/v1/nodes'],
    ['events', '/v1/events'],
    ['events.events.k8s.io', 'events.k8s.io/v1/events'],
    ['statefulsets', 'apps/v1/statefulsets'],
    ['StatefulSet', 'apps/v1/statefulsets'],
    ['sts', 'apps/v1/statefulsets'],
    ['statefulsets.apps', 'apps/v1/statefulsets'],
    ['statefulsets.apps.kruise.io', 'apps.kruise.io/v1beta1/statefulsets'],
    ['asts', 'apps.kruise.io/v1beta1/statefulsets'],
    ['StatefulSet.v1alpha1.apps.kruise.io', 'apps.kruise.io/v1alpha1/statefulsets'],
    ['apps.kruise.io/v1alpha1/statefulsets', 'apps.kruise.io/v1alpha1/statefulsets'],
    ['daemonsets', 'apps/v1/daemonsets'],
    ['ds', 'apps/v1/daemonsets'],
    ['daemonsets.apps.kruise.io', 'apps.kruise.io/v1alpha1/daemonsets'],
    ['clone', 'apps.kruise.io/v1alpha1/clonesets'],
    ['CloneSet', 'apps.kruise.io/v1alpha1/clonesets'],
    ['pods.metrics.k8s.io', 'metrics.k8s.io/v1beta1/pods'],
    ['PodMetrics', 'metrics.k8s.io/v1beta1/pods'],
    ['nodes.metrics.k8s.io', 'metrics.k8s.io/v1beta1/nodes'],
    ['hpa', 'autoscaling/v2/horizontalpodautoscalers'],
    ['autoscaling/v1/hpa', 'autoscaling/v1/horizontalpodautoscalers'],
    ['crd', 'apiextensions.k8s.io/v1/customresourcedefinitions'],
    ['cn', 'tailscale.com/v1alpha1/connectors'],
    ['proxyclass', 'tailscale.com/v1alpha1/proxyclasses'],
    ['IngressRoute', 'traefik.io/v1alpha1/ingressroutes'],
    ['plans.upgrade.cattle.io', 'upgrade.cattle.io/v1/plans'],
    ['nope', undefined],
    ['', undefined],
    ['deployments.nope.io', undefined],
    ['deployments.v9.apps', undefined],
    ['apps/v9/deployments', undefined],
    ['pods/log', undefined],
    ['apps//deployments', undefined],
    ['apps/v1/deployments/extra', undefined],
  ])('find(%j) → %s', (query, want) => {
    const found = index.find(query);
    expect(found && `${found.group}/${found.version}/${found.plural}`).toBe(want);
  });

  test('scope comes along: tailscale Connectors are cluster-scoped, Plans namespaced', () => {
    expect(index.find('connectors.tailscale.com')?.namespaced).toBe(false);
    expect(index.find('plan')?.namespaced).toBe(true);
  });

  test.each([
    { group: 'apps', kind: 'Deployment', version: undefined, want: 'apps/v1/deployments' },
    {
      group: 'apps.kruise.io',
      kind: 'StatefulSet',
      version: undefined,
      want: 'apps.kruise.io/v1beta1/statefulsets',
    },
    {
      group: 'apps.kruise.io',
      kind: 'StatefulSet',
      version: 'v1alpha1',
      want: 'apps.kruise.io/v1alpha1/statefulsets',
    },
    { group: '', kind: 'Pod', version: undefined, want: '/v1/pods' },
    {
      group: 'metrics.k8s.io',
      kind: 'PodMetrics',
      version: undefined,
      want: 'metrics.k8s.io/v1beta1/pods',
    },
    { group: '', kind: 'Deployment', version: undefined, want: undefined },
    { group: 'apps', kind: 'deployment', version: undefined, want: undefined },
  ])('byGroupKind($group, $kind, $version) → $want', ({ group, kind, version, want }) => {
    const found = index.byGroupKind(group, kind, version);
    expect(found && `${found.group}/${found.version}/${found.plural}`).toBe(want);
  });

  test('toResourceType keeps what a request needs', () => {
    const found = index.find('deploy');
    expect(found && toResourceType(found)).toEqual({
      group: 'apps',
      version: 'v1',
      plural: 'deployments',
      namespaced: true,
    });
  });
});
