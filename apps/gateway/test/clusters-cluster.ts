// Test support: the shared test cluster (from the global setup of @binnacle/testcluster, or
// TEST_KUBECONFIG), kubeconfigs built from its admin credentials, and service-account tokens.
// The testcluster package's own helpers are TypeScript with `.ts` imports, which the gateway's
// compiler settings refuse, so the little needed here is done with @binnacle/kube.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  connectionFromKubeconfig,
  core,
  KubeClient,
  localPolicy,
  parseKubeconfig,
} from '@binnacle/kube';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { as } from './clusters-app.js';

if (process.env.VITEST === undefined) throw new Error('test-cluster.ts is test support only');

declare module 'vitest' {
  export interface ProvidedContext {
    /** Cluster-admin kubeconfig of the shared test cluster (@binnacle/testcluster global setup). */
    kubeconfig: string;
  }
}

function kubeconfigPath(): string {
  // undefined when no global setup provided it, whatever the declared type says
  const path: unknown = inject('kubeconfig');
  if (typeof path !== 'string') {
    throw new Error(
      "no test cluster: add '@binnacle/testcluster/vitest/global-setup' to the vitest globalSetup (it uses TEST_KUBECONFIG when set)",
    );
  }
  return path;
}

/** The test cluster's admin kubeconfig, and what it holds (to check that none of it leaks). */
export interface AdminKubeconfig {
  text: string;
  context: string;
  server: string;
  ca: string;
  cert: string;
  key: string;
}

export function adminKubeconfig(): AdminKubeconfig {
  const text = readFileSync(kubeconfigPath(), 'utf8');
  const parsed = parseKubeconfig(text);
  const [context] = parsed.contexts;
  const [cluster] = parsed.clusters;
  const [user] = parsed.users;
  if (!context || !cluster?.certificateAuthorityData || !user?.clientCertificateData) {
    throw new Error('the test cluster kubeconfig has no inline CA or client certificate');
  }
  return {
    text,
    context: context.name,
    server: cluster.server,
    ca: cluster.certificateAuthorityData,
    cert: user.clientCertificateData,
    key: user.clientKeyData ?? '',
  };
}

const base64 = (text: string): string => Buffer.from(text).toString('base64');

/**
 * A kubeconfig (JSON, which is YAML too) with one context per entry, each with a cluster and user
 * of its own: the admin's server and credentials unless the entry replaces fields.
 */
export function kubeconfigOf(
  admin: AdminKubeconfig,
  contexts: Record<
    string,
    { cluster?: Record<string, unknown>; user?: Record<string, unknown>; userName?: string }
  >,
): string {
  const entries = Object.entries(contexts);
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map(([name, entry]) => ({
      name: `${name}-cluster`,
      cluster: {
        server: admin.server,
        'certificate-authority-data': base64(admin.ca),
        ...entry.cluster,
      },
    })),
    users: entries.map(([name, entry]) => ({
      name: entry.userName ?? `${name}-user`,
      user: entry.user ?? {
        'client-certificate-data': base64(admin.cert),
        'client-key-data': base64(admin.key),
      },
    })),
    contexts: entries.map(([name, entry]) => ({
      name,
      context: { cluster: `${name}-cluster`, user: entry.userName ?? `${name}-user` },
    })),
  });
}

/** A client with the test cluster's admin credentials, made without the gateway. */
export function adminClient(): KubeClient {
  const parsed = parseKubeconfig(readFileSync(kubeconfigPath(), 'utf8'));
  return new KubeClient(connectionFromKubeconfig(parsed, { policy: localPolicy }).connection);
}

export interface TestNamespace {
  /** Set once `beforeAll` has run. */
  name: string;
  /** Creates a service account in the namespace and returns a token for it. */
  serviceAccountToken: (account: string) => Promise<string>;
}

/** A namespace of this test file's own, created before its tests and deleted after. */
export function useNamespace(prefix: string): TestNamespace {
  const client = adminClient();
  const ns: TestNamespace = {
    name: '',
    serviceAccountToken: async (account) => {
      await client.create(core.serviceaccounts, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: account, namespace: ns.name },
      });
      const request = await client.request<{ status: { token: string } }>({
        method: 'POST',
        path: `/api/v1/namespaces/${ns.name}/serviceaccounts/${account}/token`,
        body: JSON.stringify({
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: 3600 },
        }),
      });
      return request.status.token;
    },
  };
  beforeAll(async () => {
    ns.name = `${prefix}-${randomBytes(3).toString('hex')}`;
    await client.create(core.namespaces, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns.name },
    });
  });
  afterAll(async () => {
    if (ns.name) await client.delete(core.namespaces, { name: ns.name }).catch(() => undefined);
    await client.close();
  });
  return ns;
}

export interface SelfSubjectReview {
  status: { userInfo: { username: string; groups?: string[] } };
}

export const whoamiPath = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
export const whoamiBody = JSON.stringify({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'SelfSubjectReview',
});

/** Who the cluster takes a client's requests to come from. */
export function whoami(
  client: KubeClient,
  headers: Record<string, string> = {},
): Promise<SelfSubjectReview> {
  return client.request<SelfSubjectReview>({
    method: 'POST',
    path: whoamiPath,
    body: whoamiBody,
    headers,
  });
}

/** Imports the admin kubeconfig through the route, under `name`; returns the cluster id. */
export async function importAdmin(
  app: FastifyInstance,
  options: { name: string; identityMode: 'gateway' | 'impersonate' },
): Promise<string> {
  const admin = adminKubeconfig();
  const res = await app.inject({
    method: 'POST',
    url: '/k8s-api/v1/clusters/import',
    headers: as('ada'),
    payload: {
      kubeconfig: admin.text,
      names: { [admin.context]: options.name },
      identityMode: options.identityMode,
    },
  });
  expect(res.statusCode).toBe(201);
  const [created] = res.json<{ items: { id: string }[] }>().items;
  return created?.id ?? '';
}
