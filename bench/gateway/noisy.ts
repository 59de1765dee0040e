// bench/gateway noisy neighbour: p99 of an administrator's GET of one Deployment through the
// gateway, on an idle gateway and while a viewer floods it (lists in 100 namespaces, most of them
// missing, 40 in flight at all times, and 50 followed logs). Reported as the ratio (target ≤ 2×).
// Uses TEST_KUBECONFIG's cluster when given (the shared test cluster), else the bench cluster.
//   pnpm --filter @binnacle/bench gateway:noisy
import { randomBytes } from 'node:crypto';
import { resourcePaths, streamPaths } from '@binnacle/contract';
import { core } from '@binnacle/kube';
import { up } from '@binnacle/testcluster';
import { WebSocket } from 'undici';
import { percentile, ratio, table } from '../src/stats.ts';
import { addCluster, startGateway, type Gateway } from './gateway.ts';
import { benchClient } from './noisy-cluster.ts';

const samples = Number(process.env['BENCH_SAMPLES'] ?? 300);
const namespaces = 100;
const realNamespaces = 10;
const inFlight = 40;
const followedLogs = 50;
const password = `Noisy-${randomBytes(8).toString('hex')}`;

async function signInAs(gateway: Gateway, username: string): Promise<string> {
  const res = await fetch(`${gateway.url}/k8s-api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username} failed: ${String(res.status)}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** A person with the built-in viewer role and the right to read pod logs. */
async function viewer(gateway: Gateway): Promise<string> {
  await gateway.api('POST', '/k8s-api/v1/users', { username: 'noisy', password });
  const bind = (roleId: string) =>
    gateway.api('POST', '/k8s-api/v1/rolebindings', {
      roleId,
      subjectKind: 'user',
      subject: 'noisy',
    });
  await bind('builtin-viewer');
  const role = await gateway.api<{ id: string }>('POST', '/k8s-api/v1/roles', {
    name: 'noisy-logs',
    rules: [
      { clusters: ['*'], namespaces: ['*'], resources: ['pods'], verbs: ['log'], effect: 'allow' },
    ],
  });
  await bind(role.id);
  return signInAs(gateway, 'noisy');
}

async function adminGets(gateway: Gateway, path: string, count: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    await gateway.api('GET', path);
    ms.push(performance.now() - t0);
  }
  return ms;
}

interface Flood {
  statuses: Map<number, number>;
  logsOpened: number;
  stop: () => Promise<void>;
}

async function startFlood(
  gateway: Gateway,
  options: { cluster: string; token: string; namespaces: string[]; logPod: [string, string] },
): Promise<Flood> {
  const statuses = new Map<number, number>();
  const headers = { authorization: `Bearer ${options.token}` };
  let stopped = false;
  let next = 0;
  const lister = async (): Promise<void> => {
    while (!stopped) {
      const namespace = options.namespaces[next % options.namespaces.length] ?? '';
      const kind = next % 2 === 0 ? 'pods' : 'configmaps';
      next += 1;
      const url = `${gateway.url}${resourcePaths.collection(options.cluster, kind)}?namespace=${namespace}`;
      let status = 0;
      try {
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        // counted as 0: the connection failed
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  const listers = Array.from({ length: inFlight }, lister);

  const sockets: WebSocket[] = [];
  const [namespace, pod] = options.logPod;
  await Promise.all(
    Array.from({ length: followedLogs }, async () => {
      const ticketRes = await fetch(`${gateway.url}/k8s-api/v1/auth/ticket`, {
        method: 'POST',
        headers,
      });
      if (!ticketRes.ok) return;
      const { ticket } = (await ticketRes.json()) as { ticket: string };
      const url = `${gateway.url.replace('http', 'ws')}${streamPaths.logs(options.cluster, namespace, pod)}?follow=true&ticket=${encodeURIComponent(ticket)}`;
      const socket = new WebSocket(url);
      await new Promise<void>((resolve) => {
        socket.addEventListener('open', () => {
          sockets.push(socket);
          resolve();
        });
        // a refused socket (a bound) is part of the flood too
        socket.addEventListener('error', () => {
          resolve();
        });
      });
    }),
  );
  return {
    statuses,
    logsOpened: sockets.length,
    stop: async () => {
      stopped = true;
      await Promise.all(listers);
      for (const socket of sockets) socket.close();
    },
  };
}

async function main(): Promise<void> {
  const kubeconfig = process.env['TEST_KUBECONFIG'] ?? (await up({ name: 'bench' })).kubeconfig;
  const kube = benchClient(kubeconfig);
  const tag = randomBytes(3).toString('hex');
  const real = Array.from({ length: realNamespaces }, (_, i) => `noisy-${tag}-${String(i)}`);
  const missing = Array.from(
    { length: namespaces - realNamespaces },
    (_, i) => `noisy-${tag}-no-${String(i)}`,
  );
  const home = real[0] ?? '';
  const gateway = await startGateway();
  const out: string[] = [];
  try {
    await Promise.all(
      real.map((name) =>
        kube.create(core.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
      ),
    );
    await kube.create(core.deployments, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'steady', namespace: home },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'steady' } },
        template: {
          metadata: { labels: { app: 'steady' } },
          spec: {
            nodeSelector: { type: 'kwok' },
            tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
            containers: [{ name: 'main', image: 'busybox' }],
          },
        },
      },
    });
    const pod = await waitForPod(kube, home);
    const cluster = await addCluster(gateway, kubeconfig);
    const token = await viewer(gateway);
    const path = `${resourcePaths.object(cluster, 'deployments.apps', 'steady')}?namespace=${home}`;

    await adminGets(gateway, path, 30); // warm-up
    const idle = await adminGets(gateway, path, samples);
    const flood = await startFlood(gateway, {
      cluster,
      token,
      namespaces: [...real, ...missing],
      logPod: [home, pod],
    });
    const busy = await adminGets(gateway, path, samples);
    await flood.stop();

    const idleP99 = percentile(idle, 99);
    const busyP99 = percentile(busy, 99);
    out.push(
      `### an administrator's GET of one Deployment (${String(samples)} in a row), idle and while a viewer floods`,
      table(
        ['gateway', 'p50', 'p99', 'p99 vs idle'],
        [
          ['idle', `${percentile(idle, 50).toFixed(1)} ms`, `${idleP99.toFixed(1)} ms`, '1.00×'],
          [
            `flooded (${String(inFlight)} lists in flight over ${String(namespaces)} namespaces, ${String(flood.logsOpened)} followed logs)`,
            `${percentile(busy, 50).toFixed(1)} ms`,
            `${busyP99.toFixed(1)} ms`,
            ratio(busyP99, idleP99),
          ],
        ],
      ),
      `flood answers: ${JSON.stringify(Object.fromEntries(flood.statuses))}`,
    );
  } finally {
    await gateway.stop();
    await Promise.all(
      real.map((name) => kube.delete(core.namespaces, { name }).catch(() => undefined)),
    );
    await kube.close();
  }
  console.log(out.join('\n\n'));
}

async function waitForPod(
  kube: ReturnType<typeof benchClient>,
  namespace: string,
): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const list = await kube.list(core.pods, { namespace, labelSelector: 'app=steady' });
    const running = list.items.find(
      (p) => (p.status as { phase?: string } | undefined)?.phase === 'Running',
    );
    if (running?.metadata.name !== undefined) return running.metadata.name;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the pod of the steady Deployment is not Running after 60 s');
}

await main();
