// kwok's configuration: how fake nodes and pods move through their lifecycle, where `logs` reads,
// where `exec` runs, and the resource usage that metrics-server scrapes.
import { stringify } from 'yaml';

const api = 'kwok.x-k8s.io/v1alpha1';

const nodeStatus = `{{ $now := Now }}
{{ $since := or .metadata.creationTimestamp $now }}
conditions:
{{ range NodeConditions }}
- lastHeartbeatTime: {{ $now | Quote }}
  lastTransitionTime: {{ $since | Quote }}
  message: {{ .message | Quote }}
  reason: {{ .reason | Quote }}
  status: {{ .status | Quote }}
  type: {{ .type | Quote }}
{{ end }}
addresses:
{{ with .status.addresses }}{{ YAML . 1 }}{{ else }}
- address: {{ NodeIP | Quote }}
  type: InternalIP
{{ end }}
{{ with NodePort }}
daemonEndpoints:
  kubeletEndpoint:
    Port: {{ . }}
{{ end }}
allocatable:
{{ with .status.allocatable }}{{ YAML . 1 }}{{ else }}
  cpu: "32"
  memory: 256Gi
  pods: "250"
{{ end }}
capacity:
{{ with .status.capacity }}{{ YAML . 1 }}{{ else }}
  cpu: "32"
  memory: 256Gi
  pods: "250"
{{ end }}
nodeInfo:
  architecture: amd64
  operatingSystem: linux
  kubeletVersion: {{ printf "kwok-%s" Version | Quote }}
  kubeProxyVersion: {{ printf "kwok-%s" Version | Quote }}
  containerRuntimeVersion: {{ printf "kwok-%s" Version | Quote }}
  kernelVersion: {{ printf "kwok-%s" Version | Quote }}
phase: Running
`;

const podRunning = `{{ $now := Now }}
conditions:
- { type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }} }
- { type: PodReadyToStartContainers, status: "True", lastTransitionTime: {{ $now | Quote }} }
- { type: ContainersReady, status: "True", lastTransitionTime: {{ $now | Quote }} }
- { type: Ready, status: "True", lastTransitionTime: {{ $now | Quote }} }
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  imageID: {{ printf "kwok://%s" .image | Quote }}
  containerID: {{ printf "kwok://%s" .name | Quote }}
  ready: true
  started: true
  restartCount: 0
  state:
    running:
      startedAt: {{ $now | Quote }}
{{ end }}
initContainerStatuses:
{{ range .spec.initContainers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  ready: true
  restartCount: 0
  state:
    terminated: { exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }} }
{{ end }}
{{ with NodeIPWith .spec.nodeName }}
hostIP: {{ . | Quote }}
hostIPs:
- ip: {{ . | Quote }}
{{ end }}
{{ with PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
podIP: {{ . | Quote }}
podIPs:
- ip: {{ . | Quote }}
{{ end }}
phase: Running
startTime: {{ $now | Quote }}
`;

const podSucceeded = `{{ $now := Now }}
conditions:
- { type: Ready, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }} }
- { type: ContainersReady, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }} }
containerStatuses:
{{ range .spec.containers }}
- name: {{ .name | Quote }}
  image: {{ .image | Quote }}
  ready: false
  started: false
  restartCount: 0
  state:
    terminated: { exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }} }
{{ end }}
phase: Succeeded
`;

function stage(name: string, kind: 'Node' | 'Pod', spec: Record<string, unknown>): object {
  return {
    apiVersion: api,
    kind: 'Stage',
    metadata: { name },
    spec: { resourceRef: { apiGroup: 'v1', kind }, ...spec },
  };
}

const notReady = {
  key: '.status.conditions.[] | select( .type == "Ready" ) | .status',
  operator: 'NotIn',
  values: ['True'],
};
const alive = { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' };

const stages = [
  stage('node-initialize', 'Node', {
    selector: { matchExpressions: [notReady] },
    next: { statusTemplate: nodeStatus },
  }),
  stage('node-heartbeat', 'Node', {
    selector: {
      matchExpressions: [
        { key: '.status.phase', operator: 'In', values: ['Running'] },
        { ...notReady, operator: 'In', values: ['True'] },
      ],
    },
    delay: { durationMilliseconds: 20_000, jitterDurationMilliseconds: 25_000 },
    next: { statusTemplate: nodeStatus },
  }),
  stage('pod-ready', 'Pod', {
    selector: {
      matchExpressions: [
        alive,
        { key: '.status.phase', operator: 'In', values: ['Pending'] },
        notReady,
      ],
    },
    next: { statusTemplate: podRunning },
  }),
  stage('pod-complete', 'Pod', {
    selector: {
      matchExpressions: [
        alive,
        { key: '.status.phase', operator: 'In', values: ['Running'] },
        { key: '.metadata.ownerReferences.[].kind', operator: 'In', values: ['Job'] },
      ],
    },
    delay: { durationMilliseconds: 1_000 },
    next: { statusTemplate: podSucceeded },
  }),
  stage('pod-delete', 'Pod', {
    selector: { matchExpressions: [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }] },
    next: { delete: true },
  }),
];

// The kubelet's resource-metrics names, as metrics-server reads them.
function resourceMetrics(): object {
  const scope = (extra: object[] = []): object[] => [
    { name: 'namespace', value: 'pod.metadata.namespace' },
    { name: 'pod', value: 'pod.metadata.name' },
    ...extra,
  ];
  const container = [{ name: 'container', value: 'container.name' }];
  return {
    apiVersion: api,
    kind: 'Metric',
    metadata: { name: 'resource-metrics' },
    spec: {
      path: '/metrics/nodes/{nodeName}/metrics/resource',
      metrics: [
        {
          name: 'scrape_error',
          dimension: 'node',
          kind: 'gauge',
          help: 'scrape error',
          value: '0',
        },
        {
          name: 'node_cpu_usage_seconds_total',
          dimension: 'node',
          kind: 'counter',
          help: 'Cumulative cpu time consumed by the node in core-seconds',
          value: 'node.CumulativeUsage("cpu")',
        },
        {
          name: 'node_memory_working_set_bytes',
          dimension: 'node',
          kind: 'gauge',
          help: 'Current working set of the node in bytes',
          value: 'node.Usage("memory")',
        },
        {
          name: 'container_start_time_seconds',
          dimension: 'container',
          kind: 'gauge',
          help: 'Start time of the container since unix epoch in seconds',
          labels: scope(container),
          value: 'pod.SinceSecond()',
        },
        {
          name: 'container_cpu_usage_seconds_total',
          dimension: 'container',
          kind: 'counter',
          help: 'Cumulative cpu time consumed by the container in core-seconds',
          labels: scope(container),
          value: 'pod.CumulativeUsage("cpu", container.name)',
        },
        {
          name: 'container_memory_working_set_bytes',
          dimension: 'container',
          kind: 'gauge',
          help: 'Current working set of the container in bytes',
          labels: scope(container),
          value: 'pod.Usage("memory", container.name)',
        },
        {
          name: 'pod_cpu_usage_seconds_total',
          dimension: 'pod',
          kind: 'counter',
          help: 'Cumulative cpu time consumed by the pod in core-seconds',
          labels: scope(),
          value: 'pod.CumulativeUsage("cpu")',
        },
        {
          name: 'pod_memory_working_set_bytes',
          dimension: 'pod',
          kind: 'gauge',
          help: 'Current working set of the pod in bytes',
          labels: scope(),
          value: 'pod.Usage("memory")',
        },
      ],
    },
  };
}

// Usage per container: an annotation may set it; otherwise a small non-zero figure.
const usage = {
  apiVersion: api,
  kind: 'ClusterResourceUsage',
  metadata: { name: 'usage' },
  spec: {
    usages: [
      {
        usage: {
          cpu: {
            expression:
              '"binnacle.dev/usage-cpu" in pod.metadata.annotations ? Quantity(pod.metadata.annotations["binnacle.dev/usage-cpu"]) : Quantity("5m")',
          },
          memory: {
            expression:
              '"binnacle.dev/usage-memory" in pod.metadata.annotations ? Quantity(pod.metadata.annotations["binnacle.dev/usage-memory"]) : Quantity("24Mi")',
          },
        },
      },
    ],
  },
};

export interface KwokConfigOptions {
  /** A CRI-format log file every container's `logs` reads (and follows). */
  logsFile: string;
  /** The working directory of the local shell that `exec` runs. */
  execDir: string;
  /** Where port-forwards to a pod's ports 80 and 8080 arrive (a local demo app). */
  forwardPort: number;
}

export function kwokConfig(options: KwokConfigOptions): string {
  const docs = [
    ...stages,
    {
      apiVersion: api,
      kind: 'ClusterLogs',
      metadata: { name: 'logs' },
      spec: {
        selector: {},
        logs: [
          {
            containers: [],
            logsFile: options.logsFile,
            previousLogsFile: options.logsFile,
            follow: true,
          },
        ],
      },
    },
    {
      apiVersion: api,
      kind: 'ClusterExec',
      metadata: { name: 'exec' },
      spec: { selector: {}, execs: [{ containers: [], local: { workDir: options.execDir } }] },
    },
    {
      apiVersion: api,
      kind: 'ClusterPortForward',
      metadata: { name: 'port-forward' },
      spec: {
        selector: {},
        forwards: [
          { ports: [80, 8080], target: { port: options.forwardPort, address: '127.0.0.1' } },
        ],
      },
    },
    usage,
    resourceMetrics(),
  ];
  return docs.map((doc) => stringify(doc, { lineWidth: 0 })).join('---\n');
}
