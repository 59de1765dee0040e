// Each test file works in a namespace of its own, created before its tests and removed after.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { kubectlFor, type Kubectl } from '../kubectl.ts';
import './context.ts';

export interface TestNamespace {
  /** Set once `beforeAll` has run. */
  name: string;
  kubectl: Kubectl;
  kubeconfig: string;
}

export function namespaceName(prefix: string): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${clean || 'test'}-${randomBytes(3).toString('hex')}`;
}

export async function createNamespace(kubectl: Kubectl, name: string): Promise<void> {
  await kubectl(['create', 'namespace', name]);
  // Pods are refused until the namespace's default service account exists.
  const deadline = Date.now() + 30_000;
  while (
    !(await kubectl(['get', 'sa', 'default', '-n', name, '--ignore-not-found', '-o', 'name']))
  ) {
    if (Date.now() > deadline)
      throw new Error(`namespace ${name}: no default service account after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function deleteNamespace(kubectl: Kubectl, name: string): Promise<void> {
  await kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=false']);
}

/** Registers hooks that create a fresh namespace for this file and delete it afterwards. */
export function useNamespace(prefix: string): TestNamespace {
  const kubeconfig = inject('kubeconfig');
  const ns: TestNamespace = {
    name: '',
    kubectl: kubectlFor(inject('binDir'), kubeconfig),
    kubeconfig,
  };
  beforeAll(async () => {
    ns.name = namespaceName(prefix);
    await createNamespace(ns.kubectl, ns.name);
  });
  afterAll(async () => {
    if (ns.name) await deleteNamespace(ns.kubectl, ns.name);
  });
  return ns;
}
