// Objects `up`, `seed` and `scale` create, built as plain data and applied with kubectl.
import { viewerUser } from './pki.ts';

export const fakeNodeTaint = { key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' };

export function fakeNode(name: string, pool: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: {
        'kwok.x-k8s.io/node': 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
        // metrics-server asks kwok for this node's resource metrics at this path.
        'metrics.k8s.io/resource-metrics-path': `/metrics/nodes/${name}/metrics/resource`,
      },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
        'binnacle.dev/pool': pool,
      },
    },
    spec: { taints: [fakeNodeTaint] },
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '250' },
      capacity: { cpu: '32', memory: '256Gi', pods: '250' },
    },
  };
}

export function metricsApi(port: number): object[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'metrics-server', namespace: 'kube-system' },
      // metrics-server runs on the host's loopback; the aggregator reaches it by this name.
      spec: { type: 'ExternalName', externalName: 'localhost', ports: [{ name: 'https', port }] },
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        service: { name: 'metrics-server', namespace: 'kube-system', port },
        // metrics-server serves a self-signed certificate made at its start.
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
  ];
}

/** The restricted user may read the demo namespace (not its Secrets: the built-in `view` role). */
export function viewerAccess(namespace: string): object {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'binnacle-demo-viewer', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: viewerUser }],
  };
}

/** A pod template the size of a typical application pod, for scale runs. */
export function scaleDeployment(options: { namespace: string; replicas: number }): object {
  const labels = { app: 'scale', tier: 'backend', 'app.kubernetes.io/part-of': 'binnacle-bench' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'scale', namespace: options.namespace, labels },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: { app: 'scale' } },
      strategy: { rollingUpdate: { maxSurge: '100%', maxUnavailable: '100%' } },
      template: {
        metadata: { labels, annotations: { 'binnacle.dev/purpose': 'scale benchmark' } },
        spec: {
          nodeSelector: { 'binnacle.dev/pool': 'scale' },
          tolerations: [{ key: fakeNodeTaint.key, operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'app',
              image: 'registry.example/binnacle/app:1.0.0',
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              resources: {
                requests: { cpu: '1m', memory: '8Mi' },
                limits: { cpu: '100m', memory: '64Mi' },
              },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
            },
          ],
        },
      },
    },
  };
}

export function toList(items: object[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}
