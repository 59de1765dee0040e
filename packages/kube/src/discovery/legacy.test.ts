import { expect, test } from 'vitest';
import { legacyTargets, mergeLegacy, type GroupVersionOutcome } from './legacy.ts';

test('legacyTargets lists every version, marking the preferred one', () => {
  const targets = legacyTargets(
    { kind: 'APIVersions', versions: ['v1'] },
    {
      kind: 'APIGroupList',
      groups: [
        {
          name: 'apps.kruise.io',
          versions: [
            { groupVersion: 'apps.kruise.io/v1beta1', version: 'v1beta1' },
            { groupVersion: 'apps.kruise.io/v1alpha1', version: 'v1alpha1' },
          ],
          preferredVersion: { groupVersion: 'apps.kruise.io/v1beta1', version: 'v1beta1' },
        },
        // No preferredVersion: the first listed stands in.
        { name: 'batch', versions: [{ groupVersion: 'batch/v1', version: 'v1' }] },
      ],
    },
  );
  expect(targets).toEqual([
    { group: '', version: 'v1', preferred: true },
    { group: 'apps.kruise.io', version: 'v1beta1', preferred: true },
    { group: 'apps.kruise.io', version: 'v1alpha1', preferred: false },
    { group: 'batch', version: 'v1', preferred: true },
  ]);
});

const outcomes: GroupVersionOutcome[] = [
  {
    group: '',
    version: 'v1',
    preferred: true,
    list: {
      groupVersion: 'v1',
      resources: [
        {
          name: 'pods',
          singularName: 'pod',
          namespaced: true,
          kind: 'Pod',
          verbs: ['get', 'list', 'watch'],
          shortNames: ['po'],
          categories: ['all'],
        },
        { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
        {
          name: 'pods/exec',
          singularName: '',
          namespaced: true,
          kind: 'PodExecOptions',
          verbs: ['create', 'get'],
        },
        {
          name: 'nodes',
          singularName: 'node',
          namespaced: false,
          kind: 'Node',
          verbs: ['get', 'list'],
        },
        // A subresource without its parent in the list is dropped, not made a resource.
        { name: 'ghosts/status', namespaced: false, kind: 'Ghost' },
      ],
    },
  },
  {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    preferred: true,
    error: 'the server is currently unable to handle the request',
  },
  {
    group: 'metrics.example.com',
    version: 'v1',
    preferred: true,
    list: {
      groupVersion: 'metrics.example.com/v1',
      resources: [{ name: 'samples', singularName: '', namespaced: true, kind: 'Sample' }],
    },
  },
  {
    group: 'empty.example.com',
    version: 'v1',
    preferred: false,
    list: { groupVersion: 'empty.example.com/v1', resources: null },
  },
];

test('mergeLegacy keeps the answered groups and reports the failed one', () => {
  const { resources, failedGroups } = mergeLegacy(outcomes);
  expect(failedGroups).toEqual([
    {
      groupVersion: 'metrics.k8s.io/v1beta1',
      message: 'the server is currently unable to handle the request',
    },
  ]);
  expect(resources.map((r) => `${r.group}/${r.version}/${r.plural}`)).toEqual([
    '/v1/pods',
    '/v1/nodes',
    'metrics.example.com/v1/samples',
  ]);
  expect(resources[0]).toEqual({
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['log', 'exec'],
    preferred: true,
  });
  expect(resources[1]).toMatchObject({
    namespaced: false,
    subresources: [],
    shortNames: [],
    categories: [],
  });
  expect(resources[2]).toMatchObject({ singular: 'sample' });
});
