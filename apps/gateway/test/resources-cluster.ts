// Test support: objects in the shared test cluster (pods kwok runs, a Deployment), and the count
// of requests the gateway made to a cluster, read from its upstream latency metric.
import { core, type KubeClient, type KubeObject } from '@binnacle/kube';
import type { FastifyInstance } from 'fastify';

if (process.env.VITEST === undefined) throw new Error('resources-cluster.ts is test support only');

/** A pod that kwok runs (it becomes Running without a kubelet). */
export function kwokPod(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, annotations },
    spec: {
      nodeSelector: { type: 'kwok' },
      tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [{ name: 'main', image: 'busybox' }],
    },
  };
}

export async function createPods(
  client: KubeClient,
  namespace: string,
  pods: { name: string; labels?: Record<string, string> }[],
): Promise<void> {
  await Promise.all(
    pods.map((pod) => client.create(core.pods, kwokPod(namespace, pod.name, pod.labels))),
  );
}

export function deployment(namespace: string, name: string, replicas: number): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: kwokPod(namespace, name).spec,
      },
    },
  };
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** GET requests the gateway has sent to a cluster (each watch and list page is one). */
export async function upstreamGets(app: FastifyInstance, cluster: string): Promise<number> {
  const metric = app.metrics.registry.getSingleMetric('binnacle_upstream_request_duration_seconds');
  if (metric === undefined) throw new Error('no upstream metric');
  const { values } = (await metric.get()) as { values: MetricValue[] };
  return values
    .filter(
      (v) =>
        v.metricName?.endsWith('_count') === true &&
        v.labels.cluster === cluster &&
        v.labels.method === 'GET',
    )
    .reduce((sum, v) => sum + v.value, 0);
}

/** Resolves once `check` holds, polling; fails after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
