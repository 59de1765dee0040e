// `seed`: the demo namespace with one object of each kind the console shows, and the CRDs of the
// integrations with a sample object each.
import { join } from 'node:path';
import type { ClusterState } from './cluster.ts';
import { kubectlFor } from './kubectl.ts';
import { viewerAccess } from './objects.ts';
import { manifestsDir } from './paths.ts';
import { waitFor } from './wait.ts';

export const demoNamespace = 'demo';

export async function seed(state: ClusterState): Promise<void> {
  const k = kubectlFor(state.binDir, state.kubeconfig);
  const apply = (path: string) =>
    k(['apply', '--server-side', '--force-conflicts', '-f', path], { timeoutMs: 120_000 });

  await apply(join(manifestsDir, 'crds'));
  await apply(join(manifestsDir, 'demo', '00-namespace.yaml'));
  // Pods are refused until the namespace's default service account exists.
  await waitFor(
    async () => {
      const out = await k(['get', 'serviceaccounts', '-n', demoNamespace, '-o', 'name']);
      return out.includes('serviceaccount/default');
    },
    { what: 'the default service account of the demo namespace', timeoutMs: 60_000 },
  );
  await apply(join(manifestsDir, 'demo'));
  await k(['apply', '--server-side', '-f', '-'], {
    input: JSON.stringify(viewerAccess(demoNamespace)),
  });
  await k(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  await apply(join(manifestsDir, 'samples'));
}
