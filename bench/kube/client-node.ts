// The same scenarios through @kubernetes/client-node, the client most Node consoles use.
import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';

export function clientNode(kubeconfigPath: string) {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    async listPods(namespace: string): Promise<number> {
      const api = kc.makeApiClient(k8s.CoreV1Api);
      return (await api.listNamespacedPod({ namespace })).items.length;
    },

    watchPods(namespace: string, count: number): Promise<number> {
      return new Promise((resolve, reject) => {
        let events = 0;
        let controller: AbortController | undefined;
        new k8s.Watch(kc)
          .watch(
            `/api/v1/namespaces/${namespace}/pods`,
            { resourceVersion: '0' },
            () => {
              events += 1;
              if (events === count) {
                controller?.abort();
                resolve(events);
              }
            },
            (err: unknown) => {
              if (events < count) reject(err instanceof Error ? err : new Error(String(err)));
            },
          )
          .then((c) => {
            controller = c;
          }, reject);
      });
    },

    /** Opens `cat` in the pod; `send` writes a line and resolves when it comes back. */
    async openCat(namespace: string, pod: string) {
      const stdin = new PassThrough();
      let waiting: (() => void) | undefined;
      let buffered = '';
      const stdout = new Writable({
        write(chunk: Buffer, _enc, done) {
          buffered += chunk.toString('utf8');
          if (buffered.includes('\n') && waiting) {
            buffered = '';
            const w = waiting;
            waiting = undefined;
            w();
          }
          done();
        },
      });
      const ws = await new k8s.Exec(kc).exec(
        namespace,
        pod,
        '',
        ['cat'],
        stdout,
        null,
        stdin,
        false,
      );
      return {
        send(line: string): Promise<void> {
          return new Promise((resolve) => {
            waiting = resolve;
            stdin.write(`${line}\n`);
          });
        },
        close() {
          ws.close();
        },
      };
    },

    async readLogsUntil(namespace: string, pod: string, marker: string): Promise<number> {
      let bytes = 0;
      let tail = '';
      let controller: AbortController | undefined;
      await new Promise<void>((resolve, reject) => {
        const sink = new Writable({
          write(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            const seen = tail + chunk.toString('latin1');
            if (seen.includes(marker)) resolve();
            tail = seen.slice(-marker.length);
            done();
          },
        });
        new k8s.Log(kc).log(namespace, pod, '', sink, { follow: true }).then((c) => {
          controller = c;
        }, reject);
      });
      controller?.abort();
      return bytes;
    },
  };
}
