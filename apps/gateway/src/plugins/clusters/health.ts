// Whether each cluster answers: `GET /version` on a timer, and once right after a cluster is added.
// What is recorded is the client's error message, which never carries credentials, nor the body
// of a server that did not answer like an API server.
import type { ClusterHealth } from '@binnacle/contract';
import { KubeError, type KubeClient } from '@binnacle/kube';
import type { FastifyBaseLogger } from 'fastify';
import { HttpError } from '../errors/index.js';

export type { ClusterHealth } from '@binnacle/contract';

export interface HealthMonitor {
  health: (id: string) => ClusterHealth;
  /** Checks one cluster now (a check already running is shared). */
  check: (id: string) => Promise<ClusterHealth>;
  forget: (id: string) => void;
  /** Checks every cluster now and then every interval. */
  start: () => void;
  /** Clears the timer, aborts checks in flight and waits for them. */
  stop: () => Promise<void>;
}

export interface HealthOptions {
  /** The ids of every cluster, from the store (clusters added on other replicas included). */
  list: () => Promise<string[]>;
  client: (id: string) => Promise<KubeClient>;
  intervalMs: number;
  timeoutMs: number;
  log: FastifyBaseLogger;
}

const unknown: ClusterHealth = Object.freeze({
  reachable: null,
  version: null,
  latencyMs: null,
  lastError: null,
  checkedAt: null,
});

function failure(err: unknown): string {
  if (err instanceof KubeError || err instanceof HttpError) return err.message;
  return 'the health check failed on the gateway; see its log';
}

export function createHealthMonitor(options: HealthOptions): HealthMonitor {
  const { log, timeoutMs } = options;
  const states = new Map<string, ClusterHealth>();
  const running = new Map<string, Promise<ClusterHealth>>();
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  let stopped = false;

  const gone = (err: unknown): boolean => err instanceof HttpError && err.statusCode === 404;

  async function probe(id: string): Promise<ClusterHealth> {
    let result: ClusterHealth;
    try {
      const client = await options.client(id);
      const started = performance.now();
      const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]);
      const info = await client.request<{ gitVersion?: unknown }>({
        path: '/version',
        timeoutMs,
        signal,
      });
      if (typeof info.gitVersion !== 'string') {
        // JSON, but not a version: nothing of it is repeated, the server has not shown what it is
        const host = new URL(client.transport.server).host;
        throw new KubeError({
          code: 0,
          reason: 'ProtocolError',
          message: `the server at ${host} did not answer like a Kubernetes API server (its /version has no gitVersion)`,
        });
      }
      result = {
        reachable: true,
        version: info.gitVersion,
        latencyMs: Math.round(performance.now() - started),
        lastError: null,
        checkedAt: new Date().toISOString(),
      };
    } catch (err) {
      if (gone(err)) {
        states.delete(id);
        return unknown;
      }
      if (!(err instanceof KubeError))
        log.warn({ err, clusterId: id }, 'cluster health check failed');
      result = {
        reachable: false,
        version: null,
        latencyMs: null,
        lastError: failure(err),
        checkedAt: new Date().toISOString(),
      };
    }
    if (!stopped) states.set(id, result);
    return result;
  }

  function check(id: string): Promise<ClusterHealth> {
    const current = running.get(id);
    if (current !== undefined) return current;
    const started = probe(id).finally(() => running.delete(id));
    running.set(id, started);
    return started;
  }

  async function checkAll(): Promise<void> {
    try {
      const ids = await options.list();
      const known = new Set(ids);
      for (const id of states.keys()) if (!known.has(id)) states.delete(id);
      await Promise.all(ids.map(check));
    } catch (err) {
      log.warn({ err }, 'could not list clusters for their health checks');
    }
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      round = checkAll().finally(() => {
        schedule(options.intervalMs);
      });
    }, delayMs);
    timer.unref();
  }

  return {
    health: (id) => states.get(id) ?? unknown,
    check,
    forget: (id) => {
      states.delete(id);
    },
    start: () => {
      schedule(0);
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      stopping.abort();
      await round;
      await Promise.allSettled(running.values());
    },
  };
}
