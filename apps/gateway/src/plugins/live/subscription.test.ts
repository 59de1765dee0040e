// A subscription's batches, table-style: what a run of changes within one window comes to, for a
// view that selects some objects only. The informer here is an in-memory one that only emits.
import { LiveType } from '@binnacle/contract';
import { describe, expect, it } from 'vitest';
import { findResource, type ResourceEntry } from '@binnacle/resources';
import type { CachedObject, Change, InformerView } from '../resources/index.js';
import { objectFilter } from '../resources/index.js';
import { Subscription } from './subscription.js';

const pods = findResource('pods') as ResourceEntry;

function pod(labels: Record<string, string>, version: string): CachedObject {
  return { metadata: { name: 'p', namespace: 'a', uid: 'u1', resourceVersion: version, labels } };
}

function informer(initial: CachedObject[]) {
  const listeners = new Set<(change: Change) => void>();
  const view: InformerView = {
    cluster: 'c',
    entry: pods,
    namespace: 'a',
    synced: Promise.resolve(),
    isSynced: () => true,
    objects: () => initial,
    get: () => undefined,
    size: initial.length,
    health: () => ({
      connected: true,
      synced: true,
      lastEventAt: undefined,
      errorCount: 0,
      relists: 0,
      expired: 0,
      resourceVersion: undefined,
      lastError: undefined,
    }),
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onStop: () => () => undefined,
  };
  const emit = (change: Change) => {
    for (const listener of listeners) listener(change);
  };
  return { view, emit, listeners };
}

const web = (v: string) => pod({ app: 'web' }, v);
const db = (v: string) => pod({ app: 'db' }, v);
const added = (object: CachedObject): Change => ({ type: 'added', object, old: undefined });
const deleted = (object: CachedObject): Change => ({ type: 'deleted', object, old: undefined });
const modified = (old: CachedObject, object: CachedObject): Change => ({
  type: 'modified',
  object,
  old,
});

describe('a subscription selecting app=web', () => {
  it.each<[string, Change[], [string, CachedObject][]]>([
    ['an add', [added(web('1'))], [['added', web('1')]]],
    ['an add of an object it does not select', [added(db('1'))], []],
    ['an add then changes', [added(web('1')), modified(web('1'), web('2'))], [['added', web('2')]]],
    ['an add then a delete', [added(web('1')), deleted(web('1'))], []],
    [
      'changes',
      [modified(web('1'), web('2')), modified(web('2'), web('3'))],
      [['modified', web('3')]],
    ],
    [
      'a change then a delete',
      [modified(web('1'), web('2')), deleted(web('2'))],
      [['deleted', web('2')]],
    ],
    ['an object entering the selection', [modified(db('1'), web('2'))], [['added', web('2')]]],
    ['an object leaving the selection', [modified(web('1'), db('2'))], [['deleted', db('2')]]],
    [
      'leaving and coming back',
      [modified(web('1'), db('2')), modified(db('2'), web('3'))],
      [['modified', web('3')]],
    ],
    ['changes outside the selection', [modified(db('1'), db('2'))], []],
  ])('sends %s as one batch', (_what, changes, expected) => {
    const { view, emit } = informer([]);
    const subscription = new Subscription({
      id: 's',
      mode: 'objects',
      matches: objectFilter({ labelSelector: 'app=web' }),
    });
    let dirty = 0;
    subscription.start(view, { dirty: () => (dirty += 1), stopped: () => undefined });
    for (const change of changes) emit(change);
    const batch = subscription.drain();
    const events =
      batch?.type === LiveType.events ? batch.events.map((e) => [e.type, e.object]) : [];
    expect(events).toEqual(expected);
    expect(subscription.drain()).toBeUndefined();
    if (expected.length > 0) expect(dirty).toBeGreaterThan(0);
  });

  it('snapshots what it selects, counts changes in changes mode, and stops listening at the end', () => {
    const { view, emit, listeners } = informer([
      web('1'),
      { ...db('1'), metadata: { ...db('1').metadata, uid: 'u2' } },
    ]);
    const objects = new Subscription({
      id: 'o',
      mode: 'objects',
      matches: objectFilter({ labelSelector: 'app=web' }),
    });
    const first = objects.start(view, { dirty: () => undefined, stopped: () => undefined });
    expect(first).toMatchObject({ type: LiveType.snapshot, id: 'o', items: [web('1')] });

    const changes = new Subscription({ id: 'c', mode: 'changes', matches: () => true });
    expect(changes.start(view, { dirty: () => undefined, stopped: () => undefined })).toEqual({
      type: LiveType.subscribed,
      id: 'c',
    });
    emit(modified(web('1'), web('2')));
    emit(modified(web('2'), web('3')));
    expect(changes.drain()).toEqual({ type: LiveType.changed, id: 'c', count: 2 });
    objects.end();
    changes.end();
    expect(listeners.size).toBe(0);
  });
});
