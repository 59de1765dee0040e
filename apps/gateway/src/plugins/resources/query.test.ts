// List queries over objects in memory: filters, search, sort (nulls last, ties by place), pages,
// the 400s, and the time taken for 10,000 pods.
import { findResource, type KubeObject, type ResourceEntry } from '@binnacle/resources';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors/index.js';
import { listPlan, objectFilter, runList } from './query.js';

function entry(key: string): ResourceEntry {
  const found = findResource(key);
  if (found === undefined) throw new Error(`no ${key} in the registry`);
  return found;
}

const pods = entry('pods');

function pod(
  name: string,
  extra: { namespace?: string; labels?: Record<string, string>; ip?: string; phase?: string } = {},
): KubeObject {
  return {
    metadata: {
      name,
      namespace: extra.namespace ?? 'a',
      uid: `uid-${name}`,
      labels: extra.labels ?? {},
      creationTimestamp: '2024-01-01T00:00:00Z',
    },
    spec: { nodeName: 'node-1' },
    status: { phase: extra.phase ?? 'Running', ...(extra.ip ? { podIP: extra.ip } : {}) },
  };
}

const objects = [
  pod('web-10', { labels: { app: 'web' }, ip: '10.0.0.10' }),
  pod('web-2', { labels: { app: 'web' }, ip: '10.0.0.2' }),
  pod('api-1', { labels: { app: 'api', tier: 'back' }, namespace: 'b' }),
  pod('job-1', { phase: 'Succeeded' }),
  pod('Web-3', { labels: { app: 'web' }, namespace: 'b' }),
];

const names = (query: Parameters<typeof listPlan>[1]) =>
  runList(listPlan(pods, query), objects).items.map((o) => o.metadata.name);

describe('list queries', () => {
  it('sorts by name naturally by default, and backwards on request', () => {
    expect(names({})).toEqual(['api-1', 'job-1', 'web-2', 'Web-3', 'web-10']);
    expect(names({ order: 'desc' })).toEqual(['web-10', 'Web-3', 'web-2', 'job-1', 'api-1']);
  });

  it('keeps empty cells last in both orders, ties ordered by namespace and name', () => {
    // only web-10 and web-2 have an IP
    expect(names({ sort: 'ip' })).toEqual(['web-2', 'web-10', 'job-1', 'api-1', 'Web-3']);
    expect(names({ sort: 'ip', order: 'desc' })).toEqual([
      'web-10',
      'web-2',
      'job-1',
      'api-1',
      'Web-3',
    ]);
  });

  it.each([
    [{ namespace: 'b' }, ['api-1', 'Web-3']],
    [{ labelSelector: 'app=web' }, ['web-2', 'Web-3', 'web-10']],
    [{ labelSelector: 'app in (api),tier' }, ['api-1']],
    [{ labelSelector: '!app' }, ['job-1']],
    [{ labelSelector: 'app notin (web)' }, ['api-1', 'job-1']],
    [{ fieldSelector: 'status.phase=Succeeded' }, ['job-1']],
    [{ fieldSelector: 'status.phase!=Succeeded,metadata.namespace=b' }, ['api-1', 'Web-3']],
    [{ search: 'WEB' }, ['web-2', 'Web-3', 'web-10']],
    [{ search: '10.0.0.1' }, ['web-10']],
    [{ search: 'succeeded' }, ['job-1']],
  ])('filters %j', (query, expected) => {
    expect(names(query)).toEqual(expected);
  });

  it('pages, and says how many match in all', () => {
    const plan = listPlan(pods, { page: 2, pageSize: 2 });
    const page = runList(plan, objects);
    expect(page).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page.items.map((o) => o.metadata.name)).toEqual(['web-2', 'Web-3']);
    expect(runList(listPlan(pods, { page: 9, pageSize: 2 }), objects).items).toEqual([]);
  });

  it('answers the cached objects themselves', () => {
    const [first] = runList(listPlan(pods, { search: 'api' }), objects).items;
    expect(first).toBe(objects[2]);
  });

  it.each([
    [{ sort: 'colour' }, /cannot be sorted by "colour"; sort by one of: name, namespace/],
    [{ labelSelector: 'app in (web' }, /labelSelector cannot be used: .*unbalanced/],
    [{ fieldSelector: 'status.phase' }, /fieldSelector cannot be used: .*path=value/],
  ])('refuses %j with a 400 that says what to change', (query, message) => {
    let thrown: unknown;
    try {
      listPlan(pods, query);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ statusCode: 400, code: 'BadRequest', message });
  });

  it('filters by namespace and selectors alone for the live views', () => {
    const matches = objectFilter({ namespace: 'a', labelSelector: 'app=web' });
    expect(objects.filter(matches).map((o) => o.metadata.name)).toEqual(['web-10', 'web-2']);
  });

  it('sorts and pages 10,000 pods quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      pod(`pod-${String((i * 7919) % 10_000)}`, {
        namespace: `ns-${String(i % 20)}`,
        labels: { app: i % 2 === 0 ? 'web' : 'api' },
        ip: `10.0.${String(i % 256)}.${String(i % 200)}`,
      }),
    );
    const started = performance.now();
    for (const sort of ['name', 'status', 'ip', 'age', 'restarts']) {
      const page = runList(listPlan(pods, { sort, order: 'desc', page: 3, pageSize: 100 }), many);
      expect(page.total).toBe(10_000);
      expect(page.items).toHaveLength(100);
    }
    const searched = runList(listPlan(pods, { search: 'pod-99', labelSelector: 'app=web' }), many);
    expect(searched.total).toBeGreaterThan(0);
    // six full queries of 10,000 objects; about 30 ms each on a slow machine
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
