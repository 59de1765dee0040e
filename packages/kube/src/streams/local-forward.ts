// kubectl port-forward's local half: a listener on 127.0.0.1 that opens one port-forward per
// accepted connection.
import { createServer, type Socket } from 'node:net';
import type { KubeClient } from '../client.ts';
import { KubeError } from '../errors.ts';
import { checkPort, portForward, type PortForward } from './port-forward.ts';

export interface LocalForwardOptions {
  namespace: string;
  pod: string;
  /** The container port to reach. */
  port: number;
  /** 0 (the default) lets the system pick a free port. */
  localPort?: number;
  /** Connections served at once (default 64); more are refused. */
  maxConnections?: number;
  /** Told about each connection that failed (handshake refused, error channel, socket failure). */
  onError?: (err: KubeError) => void;
  /** Aborting closes the listener and every connection. */
  signal?: AbortSignal;
}

export interface LocalForward {
  /** The local port that is listening. */
  readonly port: number;
  close(): Promise<void>;
}

export async function forwardToLocalPort(
  client: KubeClient,
  options: LocalForwardOptions,
): Promise<LocalForward> {
  checkPort(options.port);
  const active = new Map<Socket, PortForward | undefined>();
  let closing = false;
  const report = (err: unknown): void => {
    if (err instanceof KubeError) options.onError?.(err);
  };

  const server = createServer({ allowHalfOpen: true }, (socket) => {
    active.set(socket, undefined);
    socket.on('error', () => {
      socket.destroy();
    });
    socket.on('close', () => {
      active.get(socket)?.close();
      active.delete(socket);
    });
    // the socket stays paused, so early bytes wait in its buffer until the remote side is open
    portForward(client, {
      namespace: options.namespace,
      pod: options.pod,
      port: options.port,
    }).then(
      (forward) => {
        if (closing || socket.destroyed) {
          forward.close();
          return;
        }
        active.set(socket, forward);
        forward.stream.on('error', () => {
          socket.destroy();
        });
        socket.pipe(forward.stream);
        forward.stream.pipe(socket);
        forward.closed.catch((err: unknown) => {
          report(err);
          socket.destroy();
        });
      },
      (err: unknown) => {
        report(err);
        socket.destroy();
      },
    );
  });
  server.maxConnections = options.maxConnections ?? 64;

  const localPort = options.localPort ?? 0;
  await new Promise<void>((resolve, reject) => {
    // stays attached: an accept error later must not crash the process
    server.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        new KubeError({
          code: 0,
          reason: 'NetworkError',
          message: `cannot listen on 127.0.0.1:${localPort} (${err.code ?? 'error'})`,
        }),
      );
    });
    server.listen(localPort, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : localPort;

  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    options.signal?.removeEventListener('abort', onAbort);
    const done = new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    for (const [socket, forward] of active) {
      forward?.close();
      socket.destroy();
    }
    await done;
  };
  const onAbort = (): void => {
    void close();
  };
  if (options.signal?.aborted) await close();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return { port, close };
}
