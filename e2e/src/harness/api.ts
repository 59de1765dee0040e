// What the harness asks the gateway as the administrator: a token, and the test cluster registered.
import type { Gateway } from './gateway.ts';

async function call<T>(
  gateway: Gateway,
  path: string,
  options: { token?: string; body?: unknown },
): Promise<T> {
  const response = await fetch(`${gateway.url}/k8s-api/v1${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify(options.body ?? {}),
  });
  if (!response.ok) {
    throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as T;
}

export async function adminToken(gateway: Gateway): Promise<string> {
  const grant = await call<{ accessToken: string }>(gateway, '/auth/login', {
    body: gateway.admin,
  });
  return grant.accessToken;
}

export interface RegisteredCluster {
  id: string;
  name: string;
}

/** Imports the kubeconfig's current context (its first) as one cluster named `name`. */
export async function registerCluster(
  gateway: Gateway,
  options: { kubeconfig: string; name: string },
): Promise<RegisteredCluster> {
  const token = await adminToken(gateway);
  const preview = await call<{ contexts: { name: string; current: boolean }[] }>(
    gateway,
    '/clusters/preview-import',
    { token, body: { kubeconfig: options.kubeconfig } },
  );
  const context = preview.contexts.find((c) => c.current) ?? preview.contexts[0];
  if (context === undefined) throw new Error('the test kubeconfig has no context');
  const { items } = await call<{ items: RegisteredCluster[] }>(gateway, '/clusters/import', {
    token,
    body: {
      kubeconfig: options.kubeconfig,
      contexts: [context.name],
      names: { [context.name]: options.name },
    },
  });
  const [cluster] = items;
  if (cluster === undefined) throw new Error('the import registered no cluster');
  return cluster;
}
