import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from './paths.ts';

export const binaries = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'metrics-server',
] as const;
export type Binary = (typeof binaries)[number];

/**
 * Builds (or finds in the cache) every binary of the test cluster and returns their folder.
 * Build progress goes to stderr; a failure names the binary and the step.
 */
export function buildBinaries(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(packageRoot, 'scripts', 'build.sh')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const bin = out.trim().split('\n').pop();
      if (code === 0 && bin) resolve(bin);
      else if (code === 3)
        reject(new Error('Go is not installed: the test cluster is built with Go'));
      else reject(new Error(`building the test-cluster binaries failed (exit ${String(code)})`));
    });
  });
}
