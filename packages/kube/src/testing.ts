// Test support: a client for the shared test cluster, from the kubeconfig the global setup provides.
import { readFileSync } from 'node:fs';
import { compactEtcd, stateOfKubeconfig } from '@binnacle/testcluster';
import type { TestNamespace } from '@binnacle/testcluster/vitest/namespace';
import { inject } from 'vitest';
import { KubeClient } from './client.ts';
import { connectionFromKubeconfig, localPolicy, parseKubeconfig } from './config/index.ts';
import type { ClusterConnection } from './connection.ts';
import { KubeError } from './errors.ts';
import type { TransportOptions } from './transport/transport.ts';
import { core } from './resource.ts';
import type { KubeObject } from './types.ts';

export function connectionFromFile(path: string): ClusterConnection {
  return connectionFromKubeconfig(parseKubeconfig(readFileSync(path, 'utf8')), {
    policy: localPolicy,
  }).connection;
}

/** A client for a kubeconfig file of the test cluster. */
export function clientFor(
  kubeconfigPath: string,
  options: TransportOptions = {},
): Promise<KubeClient> {
  return Promise.resolve(new KubeClient(connectionFromFile(kubeconfigPath), options));
}

/** Creates a pod that kwok runs (exec runs a local shell, logs read the shared CRI file). */
export async function createKwokPod(ns: TestNamespace, name: string): Promise<void> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns.name },
    spec: {
      nodeSelector: { type: 'kwok' },
      tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [{ name: 'main', image: 'busybox' }],
    },
  };
  await ns.kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod) });
  await ns.kubectl(
    ['wait', '-n', ns.name, '--for=condition=Ready', `pod/${name}`, '--timeout=60s'],
    {
      timeoutMs: 70_000,
    },
  );
}

/** Admin (default) or the restricted viewer of the test cluster. */
export function testClient(options: { viewer?: boolean } = {}): KubeClient {
  return new KubeClient(
    connectionFromFile(inject(options.viewer ? 'viewerKubeconfig' : 'kubeconfig')),
  );
}

/** A PodTemplate: the API server keeps no watch cache for them in the test cluster. */
export function podTemplate(namespace: string, name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PodTemplate',
    metadata: { name, namespace },
    template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } },
  };
}

/**
 * Returns a resourceVersion that the server no longer keeps: a PodTemplate's version from before
 * two more changes, after etcd's history was compacted (watches from it get 410 Gone).
 */
export async function expiredResourceVersion(
  client: KubeClient,
  namespace: string,
): Promise<string> {
  const state = await stateOfKubeconfig(inject('kubeconfig'));
  if (!state) throw new Error('forcing 410 Gone needs a cluster started by @binnacle/testcluster');
  const suffix = Math.random().toString(36).slice(2, 8);
  const first = await client.create(core.podtemplates, podTemplate(namespace, `old-${suffix}`));
  await client.create(core.podtemplates, podTemplate(namespace, `newer-${suffix}`));
  await client.create(core.podtemplates, podTemplate(namespace, `newest-${suffix}`));
  await compactEtcd(state);
  const rv = first.metadata.resourceVersion;
  if (!rv) throw new Error('the API server returned no resourceVersion');
  return rv;
}

/** The KubeError a promise rejects with; fails the test when it resolves or throws something else. */
export async function rejection(promise: Promise<unknown>): Promise<KubeError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof KubeError) return err;
    throw err;
  }
  throw new Error('expected a KubeError');
}

/**
 * A client with one socket per lane: a stream that is not released blocks every later stream
 * (`socketIsFree` probes the stream lane), while requests keep their own socket.
 */
export function singleSocketClient(): KubeClient {
  return new KubeClient(connectionFromFile(inject('kubeconfig')), {
    connections: 1,
    streamConnections: 1,
  });
}

/** Whether a small request on the stream lane gets through within `ms` (false while held). */
export async function socketIsFree(client: KubeClient, ms: number): Promise<boolean> {
  // A request queued behind a held socket is not aborted by undici, so race it with a timer; a
  // request left waiting simply completes once the socket is free.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  const request = client
    .request({ path: '/api/v1/namespaces', query: { limit: 1 }, lane: 'stream' })
    .then(() => true as const);
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
