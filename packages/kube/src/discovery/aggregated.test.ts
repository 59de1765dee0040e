import { describe, expect, test } from 'vitest';
import { fromAggregated, isAggregated } from './aggregated.ts';
import type { ApiGroupDiscoveryList } from './types.ts';

describe('isAggregated', () => {
  test.each([
    { body: { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' }, want: true },
    {
      body: { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2beta1' },
      want: true,
    },
    { body: { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v3' }, want: false },
    { body: { kind: 'APIGroupList', apiVersion: 'v1', groups: [] }, want: false },
    { body: { kind: 'APIVersions', versions: ['v1'] }, want: false },
    { body: null, want: false },
    { body: 'APIGroupDiscoveryList', want: false },
  ])('$body → $want', ({ body, want }) => {
    expect(isAggregated(body)).toBe(want);
  });
});

const core: ApiGroupDiscoveryList = {
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  items: [
    {
      metadata: {},
      versions: [
        {
          version: 'v1',
          freshness: 'Current',
          resources: [
            {
              resource: 'pods',
              responseKind: { group: '', version: '', kind: 'Pod' },
              scope: 'Namespaced',
              singularResource: 'pod',
              verbs: ['get', 'list'],
              shortNames: ['po'],
              subresources: [{ subresource: 'log' }, { subresource: 'exec' }],
            },
          ],
        },
      ],
    },
  ],
};

const groups: ApiGroupDiscoveryList = {
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  items: [
    {
      metadata: { name: 'autoscaling' },
      versions: [
        {
          version: 'v2',
          resources: [
            {
              resource: 'horizontalpodautoscalers',
              responseKind: { kind: 'HorizontalPodAutoscaler' },
              scope: 'Namespaced',
            },
          ],
        },
        {
          version: 'v1',
          resources: [
            {
              resource: 'horizontalpodautoscalers',
              responseKind: { kind: 'HorizontalPodAutoscaler' },
              scope: 'Namespaced',
            },
          ],
        },
      ],
    },
    {
      metadata: { name: 'metrics.k8s.io' },
      versions: [
        {
          version: 'v1beta1',
          freshness: 'Stale',
          resources: [{ resource: 'pods', scope: 'Namespaced' }],
        },
      ],
    },
    {
      metadata: { name: 'custom.example.com' },
      versions: [
        {
          version: 'v1',
          resources: [
            {
              resource: 'widgets',
              responseKind: { kind: 'Widget' },
              scope: 'Cluster',
              singularResource: '',
            },
          ],
        },
      ],
    },
  ],
};

test('fromAggregated flattens /api and /apis, marking the first version preferred', () => {
  const { resources, failedGroups } = fromAggregated([core, groups]);
  expect(
    resources.map((r) => ({ at: `${r.group}/${r.version}/${r.plural}`, preferred: r.preferred })),
  ).toEqual([
    { at: '/v1/pods', preferred: true },
    { at: 'autoscaling/v2/horizontalpodautoscalers', preferred: true },
    { at: 'autoscaling/v1/horizontalpodautoscalers', preferred: false },
    { at: 'custom.example.com/v1/widgets', preferred: true },
  ]);
  expect(resources[0]).toEqual({
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    verbs: ['get', 'list'],
    shortNames: ['po'],
    categories: [],
    subresources: ['log', 'exec'],
    preferred: true,
  });
  // An empty singular name falls back to the lower-cased kind, as kubectl does.
  expect(resources[3]).toMatchObject({ singular: 'widget', namespaced: false });
  expect(failedGroups).toEqual([
    {
      groupVersion: 'metrics.k8s.io/v1beta1',
      message: expect.stringContaining('aggregated API') as unknown,
    },
  ]);
});
