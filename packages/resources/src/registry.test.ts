import { describe, expect, it } from 'vitest';
import {
  collectionPath,
  compareCells,
  findKind,
  findResource,
  matchesFieldSelector,
  menu,
  objectPath,
  parseFieldSelector,
  podStatus,
  rbacResource,
  registry,
  resourceKey,
  type KubeObject,
} from './index.ts';

const pod = (extra: Partial<KubeObject> & Record<string, unknown>): KubeObject => ({
  metadata: { name: 'p', namespace: 'demo' },
  ...extra,
});

describe('registry', () => {
  it('has the slice kinds, each with unique keys and column ids', () => {
    const names = registry.map((entry) => entry.kind);
    expect(names).toEqual(
      expect.arrayContaining([
        'Namespace',
        'Node',
        'Pod',
        'Deployment',
        'ReplicaSet',
        'Service',
        'Event',
      ]),
    );
    expect(new Set(registry.map(resourceKey)).size).toBe(registry.length);
    for (const entry of registry) {
      expect(new Set(entry.columns.map((column) => column.id)).size).toBe(entry.columns.length);
    }
  });

  it.each([
    ['pods', 'pods', '/api/v1/namespaces/demo/pods', '/api/v1/pods'],
    [
      'deployments.apps',
      'apps/deployments',
      '/apis/apps/v1/namespaces/demo/deployments',
      '/apis/apps/v1/deployments',
    ],
    ['nodes', 'nodes', '/api/v1/nodes', '/api/v1/nodes'],
  ])('derives %s: rbac %s, paths', (key, rbac, inNamespace, all) => {
    const entry = findResource(key);
    expect(entry).toBeDefined();
    if (entry === undefined) return;
    expect(rbacResource(entry)).toBe(rbac);
    expect(collectionPath(entry, 'demo')).toBe(inNamespace);
    expect(collectionPath(entry)).toBe(all);
  });

  it('encodes names in object paths and finds kinds by group', () => {
    const entry = findKind('Deployment', 'apps');
    expect(entry?.plural).toBe('deployments');
    if (entry !== undefined)
      expect(objectPath(entry, 'a b', 'demo')).toBe(
        '/apis/apps/v1/namespaces/demo/deployments/a%20b',
      );
    expect(findKind('Deployment', '')).toBeUndefined();
  });

  it('builds the menu in section order, leaving out empty sections of nothing', () => {
    const sections = menu();
    expect(sections.map((section) => section.id)).toEqual(['cluster', 'workloads', 'network']);
    expect(sections[1]?.entries.map((entry) => entry.kind)).toEqual([
      'Pod',
      'Deployment',
      'ReplicaSet',
    ]);
  });
});

describe('podStatus', () => {
  it.each([
    [pod({ status: { phase: 'Running' } }), 'Running'],
    [
      pod({
        metadata: { name: 'p', deletionTimestamp: '2026-01-01T00:00:00Z' },
        status: { phase: 'Running' },
      }),
      'Terminating',
    ],
    [
      pod({
        status: {
          phase: 'Running',
          containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }],
        },
      }),
      'CrashLoopBackOff',
    ],
    [
      pod({
        status: {
          phase: 'Succeeded',
          containerStatuses: [{ state: { terminated: { reason: 'Completed', exitCode: 0 } } }],
        },
      }),
      'Completed',
    ],
    [
      pod({
        status: {
          phase: 'Pending',
          initContainerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff' } } }],
        },
      }),
      'Init:ImagePullBackOff',
    ],
    [pod({}), 'Unknown'],
  ])('%#: %s', (object, expected) => {
    expect(podStatus(object)).toBe(expected);
  });
});

describe('compareCells', () => {
  it('sorts naturally with nulls last', () => {
    const cells = ['pod-10', null, 'pod-2', 'Pod-1'];
    expect([...cells].sort(compareCells)).toEqual(['Pod-1', 'pod-2', 'pod-10', null]);
    expect([3, 10, 1].sort(compareCells)).toEqual([1, 3, 10]);
  });
});

describe('field selectors', () => {
  const event = { involvedObject: { kind: 'Pod', name: 'web-1' }, type: 'Normal' };
  it.each([
    ['involvedObject.name=web-1', true],
    ['involvedObject.name==web-1,involvedObject.kind=Pod', true],
    ['involvedObject.name=web-2', false],
    ['type!=Warning', true],
    ['missing.path=', true],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(matchesFieldSelector(event, parseFieldSelector(selector))).toBe(expected);
  });

  it('names the bad term', () => {
    expect(() => parseFieldSelector('a=b,nonsense')).toThrow(
      '"nonsense" is not a field requirement',
    );
  });
});
