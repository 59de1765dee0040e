// Test-only: a local WebSocket endpoint for checking our frame encoder and decoder byte by byte.
// It is not an imitation of the API server; behaviour against the real one is tested separately.
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface LocalWsServer {
  /** http://127.0.0.1:port, to use as a ClusterConnection's server. */
  server: string;
  close(): Promise<void>;
}

export async function localWsServer(options: {
  /** The subprotocols this end accepts, preferred first. */
  accept: readonly string[];
  onConnection(ws: WebSocket, request: IncomingMessage): void;
  /** Refuse every upgrade with this HTTP answer. */
  refuse?: { code: number; body: string };
}): Promise<LocalWsServer> {
  const { refuse } = options;
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (offered) => options.accept.find((p) => offered.has(p)) ?? false,
    ...(refuse
      ? {
          verifyClient: (
            _info: unknown,
            done: (ok: boolean, code: number, message: string) => void,
          ) => {
            done(false, refuse.code, refuse.body);
          },
        }
      : {}),
  });
  wss.on('connection', (ws, request) => {
    options.onConnection(ws, request);
  });
  await new Promise<void>((resolve) =>
    wss.once('listening', () => {
      resolve();
    }),
  );
  const { port } = wss.address() as AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => {
          resolve();
        });
      }),
  };
}

/** The frames one connection received, as [channel, text]. */
export function recordFrames(ws: WebSocket): [number, string][] {
  const frames: [number, string][] = [];
  ws.on('message', (data: Buffer) =>
    frames.push([data[0] ?? -1, data.subarray(1).toString('utf8')]),
  );
  return frames;
}
