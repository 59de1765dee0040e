// The health loop's timing and bookkeeping, with a stand-in client; the checks against a real API
// server are in clusters.test.ts.
import { KubeError, type KubeClient } from '@binnacle/kube';
import type { FastifyBaseLogger } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../errors/index.js';
import { createHealthMonitor } from './health.js';

const log = { warn: vi.fn() } as unknown as FastifyBaseLogger;

function setup(answer: (id: string) => Promise<unknown>) {
  const calls: string[] = [];
  const ids = ['a', 'b'];
  const monitor = createHealthMonitor({
    list: () => Promise.resolve([...ids]),
    client: (id) =>
      id === 'gone'
        ? Promise.reject(HttpError.notFound('No cluster has "gone".'))
        : Promise.resolve({
            request: () => {
              calls.push(id);
              return answer(id);
            },
          } as unknown as KubeClient),
    intervalMs: 30_000,
    timeoutMs: 5000,
    log,
  });
  return { monitor, calls, ids };
}

describe('the health monitor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks every cluster at start and then every interval, and nothing after stop', async () => {
    const { monitor, calls, ids } = setup(() => Promise.resolve({ gitVersion: 'v1.36.3' }));
    monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['a', 'b']);
    expect(monitor.health('a')).toMatchObject({
      reachable: true,
      version: 'v1.36.3',
      lastError: null,
    });

    ids.pop();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual(['a', 'b', 'a']);
    // a cluster no longer listed is forgotten
    expect(monitor.health('b').checkedAt).toBeNull();

    await monitor.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toEqual(['a', 'b', 'a']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('records the KubeError message of a failed check, and nothing for a deleted cluster', async () => {
    const { monitor } = setup(() =>
      Promise.reject(
        new KubeError({
          code: 0,
          reason: 'NetworkError',
          message: 'cannot reach 10.0.0.1:6443/version (ECONNREFUSED)',
        }),
      ),
    );
    expect(await monitor.check('a')).toEqual({
      reachable: false,
      version: null,
      latencyMs: null,
      lastError: 'cannot reach 10.0.0.1:6443/version (ECONNREFUSED)',
      checkedAt: expect.any(String) as unknown,
    });
    expect(await monitor.check('gone')).toMatchObject({ reachable: null });
    expect(monitor.health('gone').checkedAt).toBeNull();
    await monitor.stop();
  });

  it('shares a check already running', async () => {
    let release = (): void => undefined;
    const { monitor, calls } = setup(
      () =>
        new Promise((resolve) => {
          release = () => {
            resolve({ gitVersion: 'v1' });
          };
        }),
    );
    const first = monitor.check('a');
    const second = monitor.check('a');
    await vi.advanceTimersByTimeAsync(0);
    release();
    expect(await first).toBe(await second);
    expect(calls).toEqual(['a']);
    await monitor.stop();
  });
});
