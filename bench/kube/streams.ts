// Exec round trips and log throughput, through Binnacle's client, client-node and kubectl.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { KubeClient, exec, logs, type ClusterConnection } from '@binnacle/kube';
import { clientNode } from './client-node.ts';
import { kubectlPath } from './kubectl.ts';

interface StreamOptions {
  impl: string;
  conn: ClusterConnection;
  kubeconfigPath: string;
  namespace: string;
  pod: string;
}

interface Cat {
  send(line: string): Promise<void>;
  close(): void;
}

/** A line sent to `cat` on stdin comes back on stdout: the round trip of one keystroke. */
function catOver(stdin: Writable, stdout: Readable): Pick<Cat, 'send'> {
  let waiting: (() => void) | undefined;
  let buffered = '';
  stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    if (buffered.includes('\n') && waiting) {
      buffered = '';
      const w = waiting;
      waiting = undefined;
      w();
    }
  });
  return {
    send: (line) =>
      new Promise((resolve) => {
        waiting = resolve;
        stdin.write(`${line}\n`);
      }),
  };
}

async function openCat(options: StreamOptions): Promise<Cat> {
  const { impl, namespace, pod } = options;
  if (impl === 'client-node') return clientNode(options.kubeconfigPath).openCat(namespace, pod);
  if (impl === 'kubectl') {
    const child = spawn(
      kubectlPath(),
      ['--kubeconfig', options.kubeconfigPath, 'exec', '-i', '-n', namespace, pod, '--', 'cat'],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    return { ...catOver(child.stdin, child.stdout), close: () => child.kill() };
  }
  const client = new KubeClient(options.conn);
  const session = await exec(client, { namespace, pod, command: ['cat'], stdin: true });
  return {
    ...catOver(session.stdin, session.stdout),
    close: () => {
      session.close();
      void client.close();
    },
  };
}

export async function execRoundTrips(
  options: StreamOptions & { count: number },
): Promise<Record<string, number>> {
  const cat = await openCat(options);
  await cat.send('warm-up');
  const samples: number[] = [];
  for (let i = 0; i < options.count; i++) {
    const t0 = performance.now();
    await cat.send(`ping-${i}`);
    samples.push(performance.now() - t0);
  }
  cat.close();
  samples.sort((a, b) => a - b);
  const at = (p: number) =>
    samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)] ?? NaN;
  return { p50: at(50), p99: at(99), samples: samples.length };
}

/** Follows a pod's log until the marker line, which the runner appended after a large backlog. */
export async function logThroughput(
  options: StreamOptions & { marker: string },
): Promise<Record<string, number>> {
  const { impl, namespace, pod, marker } = options;
  if (impl === 'client-node')
    return {
      bytes: await clientNode(options.kubeconfigPath).readLogsUntil(namespace, pod, marker),
    };
  let stream: Readable;
  let stop: () => void;
  if (impl === 'kubectl') {
    const child = spawn(
      kubectlPath(),
      ['--kubeconfig', options.kubeconfigPath, 'logs', '-f', '-n', namespace, pod],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    stream = child.stdout;
    stop = () => child.kill();
  } else {
    const client = new KubeClient(options.conn);
    const controller = new AbortController();
    stream = await logs(client, { namespace, pod, follow: true, signal: controller.signal });
    stop = () => {
      controller.abort();
      void client.close();
    };
  }
  let bytes = 0;
  let tail = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    // The marker may sit anywhere in a chunk (the log keeps growing after it).
    const seen = tail + chunk.toString('latin1');
    if (seen.includes(marker)) break;
    tail = seen.slice(-marker.length);
  }
  stop();
  return { bytes };
}
