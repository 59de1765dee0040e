// The built-in kinds. Adding a kind is adding one entry here.
import {
  ageColumn,
  count,
  labelsColumn,
  list,
  nameColumn,
  namespaceColumn,
  text,
} from './columns.ts';
import { podReady, podRestarts, podStatus } from './pod-status.ts';
import type { KubeObject, ResourceEntry } from './types.ts';

const readable = ['list', 'get', 'watch'] as const;

function replicas(object: KubeObject): string {
  return `${String(count(object, 'status.readyReplicas'))}/${String(count(object, 'spec.replicas'))}`;
}

function conditionTrue(object: KubeObject, type: string): boolean {
  return (list(object, 'status.conditions') as { type?: string; status?: string }[]).some(
    (condition) => condition.type === type && condition.status === 'True',
  );
}

export const kinds = [
  {
    kind: 'Namespace',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    namespaced: false,
    verbs: [...readable, 'delete'],
    title: { en: 'Namespaces', 'zh-CN': '命名空间' },
    menu: { section: 'cluster', order: 20 },
    columns: [
      nameColumn,
      {
        id: 'status',
        title: { en: 'Status', 'zh-CN': '状态' },
        value: (o) => text(o, 'status.phase'),
        format: 'status',
      },
      labelsColumn,
      ageColumn,
    ],
  },
  {
    kind: 'Node',
    group: '',
    version: 'v1',
    plural: 'nodes',
    namespaced: false,
    verbs: readable,
    title: { en: 'Nodes', 'zh-CN': '节点' },
    menu: { section: 'cluster', order: 10 },
    columns: [
      nameColumn,
      {
        id: 'status',
        title: { en: 'Status', 'zh-CN': '状态' },
        value: (o) => {
          const ready = conditionTrue(o, 'Ready') ? 'Ready' : 'NotReady';
          return o.spec !== undefined &&
            (o.spec as { unschedulable?: boolean }).unschedulable === true
            ? `${ready},SchedulingDisabled`
            : ready;
        },
        format: 'status',
      },
      {
        id: 'version',
        title: { en: 'Version', 'zh-CN': '版本' },
        value: (o) => text(o, 'status.nodeInfo.kubeletVersion'),
      },
      {
        id: 'address',
        title: { en: 'Internal IP', 'zh-CN': '内部 IP' },
        value: (o) =>
          (list(o, 'status.addresses') as { type?: string; address?: string }[]).find(
            (address) => address.type === 'InternalIP',
          )?.address ?? null,
        optional: true,
      },
      ageColumn,
    ],
    search: (o) =>
      (list(o, 'status.addresses') as { address?: string }[]).map((a) => a.address ?? ''),
  },
  {
    kind: 'Pod',
    group: '',
    version: 'v1',
    plural: 'pods',
    namespaced: true,
    verbs: [...readable, 'delete', 'log', 'exec'],
    title: { en: 'Pods', 'zh-CN': '容器组' },
    menu: { section: 'workloads', order: 10 },
    columns: [
      nameColumn,
      namespaceColumn,
      { id: 'ready', title: { en: 'Ready', 'zh-CN': '就绪' }, value: podReady },
      {
        id: 'status',
        title: { en: 'Status', 'zh-CN': '状态' },
        value: podStatus,
        format: 'status',
      },
      {
        id: 'restarts',
        title: { en: 'Restarts', 'zh-CN': '重启次数' },
        value: podRestarts,
        format: 'number',
      },
      {
        id: 'node',
        title: { en: 'Node', 'zh-CN': '节点' },
        value: (o) => text(o, 'spec.nodeName'),
        optional: true,
      },
      {
        id: 'ip',
        title: { en: 'IP', 'zh-CN': 'IP' },
        value: (o) => text(o, 'status.podIP'),
        optional: true,
      },
      ageColumn,
    ],
    search: (o) => [text(o, 'spec.nodeName') ?? '', text(o, 'status.podIP') ?? '', podStatus(o)],
  },
  {
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    namespaced: true,
    verbs: [...readable, 'delete', 'scale'],
    title: { en: 'Deployments', 'zh-CN': '无状态负载' },
    menu: { section: 'workloads', order: 20 },
    columns: [
      nameColumn,
      namespaceColumn,
      { id: 'ready', title: { en: 'Ready', 'zh-CN': '就绪' }, value: replicas },
      {
        id: 'upToDate',
        title: { en: 'Up to date', 'zh-CN': '已更新' },
        value: (o) => count(o, 'status.updatedReplicas'),
        format: 'number',
      },
      {
        id: 'available',
        title: { en: 'Available', 'zh-CN': '可用' },
        value: (o) => count(o, 'status.availableReplicas'),
        format: 'number',
      },
      ageColumn,
    ],
  },
  {
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    namespaced: true,
    verbs: [...readable, 'delete'],
    title: { en: 'Replica sets', 'zh-CN': '副本集' },
    menu: { section: 'workloads', order: 30 },
    columns: [
      nameColumn,
      namespaceColumn,
      {
        id: 'desired',
        title: { en: 'Desired', 'zh-CN': '期望' },
        value: (o) => count(o, 'spec.replicas'),
        format: 'number',
      },
      {
        id: 'current',
        title: { en: 'Current', 'zh-CN': '当前' },
        value: (o) => count(o, 'status.replicas'),
        format: 'number',
      },
      {
        id: 'ready',
        title: { en: 'Ready', 'zh-CN': '就绪' },
        value: (o) => count(o, 'status.readyReplicas'),
        format: 'number',
      },
      ageColumn,
    ],
  },
  {
    kind: 'Service',
    group: '',
    version: 'v1',
    plural: 'services',
    namespaced: true,
    verbs: [...readable, 'delete'],
    title: { en: 'Services', 'zh-CN': '服务' },
    menu: { section: 'network', order: 10 },
    columns: [
      nameColumn,
      namespaceColumn,
      { id: 'type', title: { en: 'Type', 'zh-CN': '类型' }, value: (o) => text(o, 'spec.type') },
      {
        id: 'clusterIP',
        title: { en: 'Cluster IP', 'zh-CN': '集群 IP' },
        value: (o) => text(o, 'spec.clusterIP'),
      },
      {
        id: 'ports',
        title: { en: 'Ports', 'zh-CN': '端口' },
        value: (o) =>
          (list(o, 'spec.ports') as { port?: number; protocol?: string }[])
            .map((p) => `${String(p.port)}/${p.protocol ?? 'TCP'}`)
            .join(', ') || null,
      },
      ageColumn,
    ],
    search: (o) => [text(o, 'spec.clusterIP') ?? ''],
  },
  {
    kind: 'Event',
    group: '',
    version: 'v1',
    plural: 'events',
    namespaced: true,
    verbs: readable,
    title: { en: 'Events', 'zh-CN': '事件' },
    menu: { section: 'cluster', order: 30 },
    columns: [
      {
        id: 'type',
        title: { en: 'Type', 'zh-CN': '类型' },
        value: (o) => text(o, 'type'),
        format: 'status',
      },
      { id: 'reason', title: { en: 'Reason', 'zh-CN': '原因' }, value: (o) => text(o, 'reason') },
      {
        id: 'object',
        title: { en: 'Object', 'zh-CN': '对象' },
        value: (o) => {
          const kind = text(o, 'involvedObject.kind');
          const name = text(o, 'involvedObject.name');
          return kind === null || name === null ? null : `${kind}/${name}`;
        },
      },
      {
        id: 'message',
        title: { en: 'Message', 'zh-CN': '消息' },
        value: (o) => text(o, 'message'),
      },
      namespaceColumn,
      {
        id: 'count',
        title: { en: 'Count', 'zh-CN': '次数' },
        value: (o) => count(o, 'count'),
        format: 'number',
        optional: true,
      },
      {
        id: 'lastSeen',
        title: { en: 'Last seen', 'zh-CN': '最近出现' },
        value: (o) =>
          text(o, 'lastTimestamp') ?? text(o, 'eventTime') ?? o.metadata.creationTimestamp ?? null,
        format: 'age',
      },
    ],
    search: (o) => [
      text(o, 'reason') ?? '',
      text(o, 'message') ?? '',
      text(o, 'involvedObject.name') ?? '',
    ],
  },
] as const satisfies readonly ResourceEntry[];
