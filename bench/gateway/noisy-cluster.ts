// The admin client of the cluster the noisy-neighbour bench runs against.
import { readFileSync } from 'node:fs';
import { connectionFromKubeconfig, KubeClient, localPolicy, parseKubeconfig } from '@binnacle/kube';

export function benchClient(kubeconfig: string): KubeClient {
  const parsed = parseKubeconfig(readFileSync(kubeconfig, 'utf8'));
  return new KubeClient(connectionFromKubeconfig(parsed, { policy: localPolicy }).connection);
}
