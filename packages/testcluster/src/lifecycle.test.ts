// The test bed's own test: up → a Deployment's pods Running → logs → exec → top → down, on a
// cluster of its own (run before the shared cluster of the other packages starts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendLog,
  down,
  kubectl,
  readState,
  restartComponent,
  up,
  type ClusterState,
} from './cluster.ts';
import type { Kubectl } from './kubectl.ts';
import { isAlive } from './processes.ts';
import { waitFor } from './wait.ts';
import { createNamespace, deleteNamespace, namespaceName } from './vitest/namespace.ts';

const name = `lifecycle-${process.pid}`;
let state: ClusterState;
let k: Kubectl;
let ns: string;

function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** "12m" → 12, "24Mi" → 24: the number in front of kubectl top's unit. */
const amount = (value: string | undefined): number => Number.parseFloat(value ?? '');

describe('test cluster lifecycle', { concurrent: false }, () => {
  beforeAll(async () => {
    state = await up({ name });
    k = kubectl(state);
    ns = namespaceName('lifecycle');
    await createNamespace(k, ns);
  }, 900_000);

  afterAll(async () => {
    await down({ name });
  }, 120_000);

  it('runs the pods of a Deployment: controller-manager, scheduler and kwok at work', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'echo', namespace: ns },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'echo' } },
        template: {
          metadata: { labels: { app: 'echo' } },
          spec: {
            nodeSelector: { type: 'kwok' },
            tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
            containers: [{ name: 'echo', image: 'busybox' }],
          },
        },
      },
    };
    await k(['apply', '-f', '-'], { input: JSON.stringify(deployment) });
    await k(['rollout', 'status', 'deployment/echo', '-n', ns, '--timeout=120s'], {
      timeoutMs: 130_000,
    });
    const out = await k([
      'get',
      'pods',
      '-n',
      ns,
      '-l',
      'app=echo',
      '-o',
      'jsonpath={.items[*].status.phase}',
    ]);
    expect(out.split(' ')).toEqual(['Running', 'Running', 'Running']);
    const nodes = await k(['get', 'pods', '-n', ns, '-o', 'jsonpath={.items[*].spec.nodeName}']);
    for (const node of nodes.split(' ')) expect(node).toMatch(/^kwok-node-\d+$/);
  }, 180_000);

  it('returns container logs through the API server, and follows new lines', async () => {
    const logs = await k(['logs', '-n', 'demo', 'hello', '--tail=5']);
    expect(logs.trim().split('\n')).toHaveLength(5);
    expect(logs).toContain('binnacle demo');
    const marker = `marker-${Date.now()}`;
    await appendLog(state, marker);
    expect(await k(['logs', '-n', ns, 'deployment/echo', '--tail=50'])).toContain(marker);
  }, 60_000);

  it('runs a command in a pod with exec', async () => {
    const out = await k(['exec', '-n', ns, 'deployment/echo', '--', 'sh', '-c', 'echo hi']);
    expect(out).toBe('hi\n');
    await expect(
      k(['exec', '-n', ns, 'deployment/echo', '--', 'sh', '-c', 'exit 3']),
    ).rejects.toThrow(/exit status 3/);
  }, 60_000);

  it('answers kubectl top for pods and nodes with non-zero values', async () => {
    const running = (
      await k(['get', 'pods', '-n', 'demo', '--field-selector=status.phase=Running', '-o', 'name'])
    )
      .trim()
      .split('\n')
      .map((line) => line.replace('pod/', ''));
    let pods: string[][] = [];
    await waitFor(
      async () => {
        try {
          const out = await k(['top', 'pods', '-n', 'demo', '--no-headers']);
          pods = out
            .trim()
            .split('\n')
            .map((line) => line.trim().split(/\s+/));
          // Until metrics-server has scraped every pod twice, some are missing.
          const covered = new Set(pods.map(([pod]) => pod));
          return running.every((pod) => covered.has(pod));
        } catch {
          return false; // "metrics not available yet"
        }
      },
      { what: 'metrics of every running demo pod', timeoutMs: 90_000, intervalMs: 2_000 },
    );
    expect(pods.map(([pod]) => pod)).toContain('hello');
    for (const [, cpu, memory] of pods) {
      expect(amount(cpu)).toBeGreaterThan(0);
      expect(amount(memory)).toBeGreaterThan(0);
    }
    const nodes = (await k(['top', 'nodes', '--no-headers'])).trim().split('\n');
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    for (const line of nodes) {
      const [, cpu, , memory] = line.trim().split(/\s+/);
      expect(amount(cpu)).toBeGreaterThan(0);
      expect(amount(memory)).toBeGreaterThan(0);
    }
  }, 120_000);

  it('seeds one object of each kind the console shows, and the integrations with samples', async () => {
    const kinds = [
      'deployments',
      'statefulsets',
      'daemonsets',
      'replicasets',
      'jobs',
      'cronjobs',
      'pods',
      'services',
      'ingresses',
      'configmaps',
      'secrets',
      'persistentvolumeclaims',
      'horizontalpodautoscalers',
      'poddisruptionbudgets',
      'networkpolicies',
      'serviceaccounts',
      'roles',
      'rolebindings',
      'clonesets.apps.kruise.io',
      'daemonsets.apps.kruise.io',
      'statefulsets.apps.kruise.io',
      'ingressroutes.traefik.io',
      'ingressroutetcps.traefik.io',
      'ingressrouteudps.traefik.io',
      'middlewares.traefik.io',
      'middlewaretcps.traefik.io',
      'tlsoptions.traefik.io',
      'tlsstores.traefik.io',
      'traefikservices.traefik.io',
      'serverstransports.traefik.io',
      'plans.upgrade.cattle.io',
    ];
    for (const kind of kinds) {
      const out = await k(['get', kind, '-n', 'demo', '-o', 'name']);
      expect(out.trim(), `no ${kind} in demo`).not.toBe('');
    }
    for (const kind of [
      'connectors.tailscale.com',
      'proxyclasses.tailscale.com',
      'proxygroups.tailscale.com',
    ]) {
      expect((await k(['get', kind, '-o', 'name'])).trim(), `no ${kind}`).not.toBe('');
    }
  }, 60_000);

  it('lets the restricted user view the demo namespace and nothing else', async () => {
    const viewer = kubectl(state, { viewer: true });
    expect(await viewer(['get', 'pods', '-n', 'demo', '-o', 'name'])).toContain('pod/hello');
    await expect(viewer(['get', 'pods', '-n', 'kube-system'])).rejects.toThrow(/forbidden/);
    await expect(viewer(['get', 'secrets', '-n', 'demo'])).rejects.toThrow(/forbidden/);
    await expect(viewer(['delete', 'pod', 'hello', '-n', 'demo'])).rejects.toThrow(/forbidden/);
  }, 60_000);

  it('is found running by a second up, without starting anything', async () => {
    const again = await up({ name });
    expect(again.processes.map((p) => p.pid)).toEqual(state.processes.map((p) => p.pid));
  }, 60_000);

  it('restarts the API server with the same command line, for clients that must survive it', async () => {
    const before = state.processes.find((p) => p.name === 'kube-apiserver');
    state = await restartComponent(state, { component: 'kube-apiserver', downtimeMs: 500 });
    const after = state.processes.find((p) => p.name === 'kube-apiserver');
    expect(after?.pid).not.toBe(before?.pid);
    expect(after?.args).toEqual(before?.args);
    expect(await k(['get', 'namespace', ns, '-o', 'name'])).toBe(`namespace/${ns}\n`);
    expect((await readState(name))?.processes.map((p) => p.pid)).toEqual(
      state.processes.map((p) => p.pid),
    );
  }, 120_000);

  it('down stops every process it started and removes its temporary files', async () => {
    await deleteNamespace(k, ns);
    expect(processesMentioning(state.dir).length).toBeGreaterThan(0);
    await down({ name });
    for (const p of state.processes) expect(isAlive(p.pid), `${p.name} still running`).toBe(false);
    expect(processesMentioning(state.dir)).toEqual([]);
    expect(existsSync(state.dir)).toBe(false);
  }, 120_000);
});
