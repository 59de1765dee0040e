// The command line of each control-plane component, on loopback ports chosen at `up`.
import { join } from 'node:path';
import type { Pki } from './pki.ts';

export interface Ports {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
  metricsServer: number;
  /** The demo app every fake pod's ports 80 and 8080 forward to (kubectl port-forward). */
  demoWeb: number;
}

export interface Layout {
  dir: string;
  binDir: string;
  pki: Pki;
  ports: Ports;
  adminKubeconfig: string;
  controllerManagerKubeconfig: string;
  schedulerConfig: string;
  kwokConfig: string;
}

export interface ComponentSpec {
  name: string;
  command: string;
  args: string[];
}

const loopback = '127.0.0.1';

export function etcd(l: Layout): ComponentSpec {
  const client = `http://${loopback}:${l.ports.etcdClient}`;
  const peer = `http://${loopback}:${l.ports.etcdPeer}`;
  return {
    name: 'etcd',
    command: join(l.binDir, 'etcd'),
    args: [
      '--name=binnacle',
      `--data-dir=${join(l.dir, 'etcd')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=binnacle=${peer}`,
      '--auto-compaction-retention=1',
      '--quota-backend-bytes=8589934592',
      // A throw-away cluster: durability is not worth the fsync latency on a shared disk.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
  };
}

export function apiserver(l: Layout): ComponentSpec {
  const { pki } = l;
  return {
    name: 'kube-apiserver',
    command: join(l.binDir, 'kube-apiserver'),
    args: [
      `--etcd-servers=http://${loopback}:${l.ports.etcdClient}`,
      `--bind-address=${loopback}`,
      `--advertise-address=${loopback}`,
      `--secure-port=${l.ports.apiserver}`,
      '--endpoint-reconciler-type=none',
      `--tls-cert-file=${pki.apiserver.cert}`,
      `--tls-private-key-file=${pki.apiserver.key}`,
      `--client-ca-file=${pki.ca.cert}`,
      '--authorization-mode=RBAC',
      '--anonymous-auth=false',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccount.key}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      // The aggregation layer, for metrics-server.
      `--requestheader-client-ca-file=${pki.frontProxyCa.cert}`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${pki.frontProxyClient.cert}`,
      `--proxy-client-key-file=${pki.frontProxyClient.key}`,
      // kwok serves the kubelet API (logs, exec, metrics) for every fake node.
      `--kubelet-client-certificate=${pki.admin.cert}`,
      `--kubelet-client-key=${pki.admin.key}`,
      '--kubelet-preferred-address-types=InternalIP',
      // Watches of PodTemplates go straight to etcd, so tests can force 410 Gone by compacting it.
      '--watch-cache-sizes=podtemplates#0',
      '--max-requests-inflight=1000',
      '--max-mutating-requests-inflight=500',
      '--profiling=false',
      '--v=1',
    ],
  };
}

export function controllerManager(l: Layout): ComponentSpec {
  const kc = l.controllerManagerKubeconfig;
  return {
    name: 'kube-controller-manager',
    command: join(l.binDir, 'kube-controller-manager'),
    args: [
      `--kubeconfig=${kc}`,
      `--authentication-kubeconfig=${kc}`,
      `--authorization-kubeconfig=${kc}`,
      `--bind-address=${loopback}`,
      `--secure-port=${l.ports.controllerManager}`,
      '--leader-elect=false',
      `--root-ca-file=${l.pki.ca.cert}`,
      `--service-account-private-key-file=${l.pki.serviceAccount.key}`,
      `--cluster-signing-cert-file=${l.pki.ca.cert}`,
      `--cluster-signing-key-file=${l.pki.ca.key}`,
      '--use-service-account-credentials=true',
      '--kube-api-qps=5000',
      '--kube-api-burst=10000',
      '--concurrent-replicaset-syncs=10',
      '--concurrent-deployment-syncs=10',
      '--v=1',
    ],
  };
}

export function scheduler(l: Layout): ComponentSpec {
  return {
    name: 'kube-scheduler',
    command: join(l.binDir, 'kube-scheduler'),
    args: [
      `--config=${l.schedulerConfig}`,
      `--authentication-kubeconfig=${l.adminKubeconfig}`,
      `--authorization-kubeconfig=${l.adminKubeconfig}`,
      `--bind-address=${loopback}`,
      `--secure-port=${l.ports.scheduler}`,
      '--v=1',
    ],
  };
}

export function schedulerConfig(kubeconfig: string): string {
  return JSON.stringify({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    clientConnection: { kubeconfig, qps: 5000, burst: 10000 },
    leaderElection: { leaderElect: false },
  });
}

export function kwok(l: Layout): ComponentSpec {
  return {
    name: 'kwok',
    command: join(l.binDir, 'kwok'),
    args: [
      `--kubeconfig=${l.adminKubeconfig}`,
      `--config=${l.kwokConfig}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--manage-nodes-with-label-selector=',
      `--node-ip=${loopback}`,
      `--node-port=${l.ports.kwok}`,
      `--server-address=${loopback}:${l.ports.kwok}`,
      `--tls-cert-file=${l.pki.apiserver.cert}`,
      `--tls-private-key-file=${l.pki.apiserver.key}`,
      '--node-lease-duration-seconds=40',
      '--cidr=10.244.0.1/16',
    ],
  };
}

export function metricsServer(l: Layout): ComponentSpec {
  const kc = l.adminKubeconfig;
  return {
    name: 'metrics-server',
    command: join(l.binDir, 'metrics-server'),
    args: [
      `--kubeconfig=${kc}`,
      `--authentication-kubeconfig=${kc}`,
      `--authorization-kubeconfig=${kc}`,
      `--bind-address=${loopback}`,
      `--secure-port=${l.ports.metricsServer}`,
      `--cert-dir=${join(l.dir, 'metrics-server')}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--kubelet-use-node-status-port',
      // kwok's kubelet endpoint serves the API server's certificate, not a per-node one.
      '--kubelet-insecure-tls',
      '--metric-resolution=10s',
      '--kubelet-request-timeout=5s',
    ],
  };
}
