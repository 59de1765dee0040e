// The channel framing Kubernetes speaks over WebSocket for exec, attach and port-forward: every binary
// message starts with one byte naming the channel. Opening the socket lives here too, so that TLS,
// credentials, handshake errors and the heartbeat are handled once.
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { Impersonation } from '../connection.ts';
import { errorFromResponse, errorFromTransport, KubeError } from '../errors.ts';
import { checkedLookup, literalRefusal } from '../transport/address-check.ts';
import {
  buildUrl,
  tlsOptions,
  type RequestOptions,
  type Transport,
} from '../transport/transport.ts';

/** Remote-command channels (exec/attach). */
export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  error: 3,
  resize: 4,
  /** v5 only: `[255, n]` closes channel n (stdin). */
  close: 255,
} as const;

export type ChannelProtocol = 'v5.channel.k8s.io' | 'v4.channel.k8s.io';

/** Offered in this order: v5 adds closing stdin; v4 is what servers before 1.30 speak. */
export const channelProtocols: readonly ChannelProtocol[] = [
  'v5.channel.k8s.io',
  'v4.channel.k8s.io',
];

export function encodeFrame(channel: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const frame = Buffer.allocUnsafe(data.length + 1);
  frame[0] = channel;
  data.copy(frame, 1);
  return frame;
}

export function decodeFrame(frame: Buffer): { channel: number; payload: Buffer } | undefined {
  const channel = frame[0];
  return channel === undefined ? undefined : { channel, payload: frame.subarray(1) };
}

export function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export interface ChannelHandlers {
  /**
   * Every frame that arrives, from the first one on: listeners are in place before `open`, so a
   * frame may come before `openChannel` resolves; `socket` is there for pausing.
   */
  onFrame(channel: number, payload: Buffer, socket: ChannelSocket): void;
  /** The socket closed after it had opened; `error` when it failed rather than closed. */
  onClose(info: { code: number; error?: KubeError }): void;
}

export interface OpenChannelOptions {
  transport: Transport;
  /** Act as this person (a KubeClient made with `as()` passes its impersonation). */
  impersonate?: Impersonation | undefined;
  /** Path below the server URL, e.g. /api/v1/namespaces/ns/pods/p/exec. */
  path: string;
  query?: RequestOptions['query'];
  /** Subprotocols to offer, preferred first. */
  protocols: readonly string[];
  handlers: ChannelHandlers;
  signal?: AbortSignal;
  /** Time allowed for the upgrade (default 30 s). */
  handshakeTimeoutMs?: number;
  /** Ping interval; a ping unanswered by the next one ends the socket (default 30 s). */
  heartbeatMs?: number;
}

export interface ChannelSocket {
  /** The subprotocol the server chose. */
  readonly protocol: string;
  readonly socket: WebSocket;
  /** Sends one frame; `done` runs once it is handed to the network (or failed). */
  send(channel: number, payload?: Buffer | string, done?: (err?: Error) => void): void;
  /** Closes politely, and for good after a second if the server does not answer. */
  close(): void;
}

/** Longest handshake error body read to build the KubeError. */
const maxErrorBody = 64 * 1024;
/** Largest single message accepted from the server; the API server sends at most 32 KiB. */
const maxPayload = 4 * 1024 * 1024;

/** Opens the WebSocket and resolves once the upgrade succeeded; failures become KubeErrors. */
export async function openChannel(options: OpenChannelOptions): Promise<ChannelSocket> {
  const { transport } = options;
  const conn = transport.connection;
  const url = buildUrl(transport.server, options.path, options.query);
  const where = `${url.host}${options.path}`;
  if (conn.proxyUrl !== undefined) {
    // ws would silently bypass the proxy; refusing is better than reaching the cluster another way
    throw new KubeError({
      code: 0,
      reason: 'InvalidConfig',
      message: `streaming to ${where} through a proxy-url is not supported`,
    });
  }
  const protocol = url.protocol === 'http:' ? 'http:' : 'https:';
  const policy = transport.addressPolicy;
  if (policy !== undefined) {
    const refused = literalRefusal(policy, { hostname: url.hostname, protocol });
    if (refused !== undefined) throw refused;
  }
  url.protocol = protocol === 'http:' ? 'ws:' : 'wss:';
  const headers = await transport.baseHeaders(options.impersonate);
  if (options.signal?.aborted) throw aborted(where);

  return new Promise<ChannelSocket>((resolve, reject) => {
    const ws = new WebSocket(url, [...options.protocols], {
      ...tlsOptions(conn),
      // Impersonate-Group may repeat; node:http sends array values as repeated header lines.
      headers: headers as Record<string, string>,
      handshakeTimeout: options.handshakeTimeoutMs ?? 30_000,
      perMessageDeflate: false,
      followRedirects: false,
      maxPayload,
      // names are resolved and every address checked at connect time, as for requests
      ...(policy !== undefined ? { lookup: checkedLookup(policy, protocol) } : {}),
    });
    let opened = false;
    let settled = false;
    let failure: KubeError | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    let awaitingPong = false;

    const handle: ChannelSocket = {
      get protocol() {
        return ws.protocol;
      },
      socket: ws,
      send(id, payload, done) {
        if (ws.readyState !== WebSocket.OPEN) {
          done?.(
            new KubeError({
              code: 0,
              reason: 'Aborted',
              message: `the stream to ${where} is closed`,
            }),
          );
          return;
        }
        ws.send(encodeFrame(id, payload), { binary: true }, done);
      },
      close() {
        if (ws.readyState === WebSocket.CLOSED) return;
        ws.close(1000);
        closeTimer ??= setTimeout(() => {
          ws.terminate();
        }, 1000);
        closeTimer.unref();
      },
    };

    const fail = (err: KubeError): void => {
      if (!settled) {
        settled = true;
        reject(err);
      }
      failure ??= err;
    };
    const onAbort = (): void => {
      fail(aborted(where));
      ws.terminate();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    ws.on('message', (data) => {
      const frame = decodeFrame(toBuffer(data));
      if (frame) options.handlers.onFrame(frame.channel, frame.payload, handle);
    });
    ws.on('unexpected-response', (_req, res) => {
      void readBody(res).then((body) => {
        fail(errorFromResponse(res.statusCode ?? 0, body, where));
        ws.terminate();
      });
    });
    ws.on('error', (err) => {
      fail(socketError(err, where));
    });
    ws.on('pong', () => {
      awaitingPong = false;
    });
    ws.on('open', () => {
      opened = true;
      settled = true;
      heartbeat = setInterval(() => {
        // a socket paused for backpressure reads no pongs either; a slow reader is not a dead peer
        if (ws.isPaused) {
          awaitingPong = false;
          return;
        }
        if (awaitingPong) {
          failure ??= new KubeError({
            code: 0,
            reason: 'Timeout',
            message: `${where} stopped answering pings`,
          });
          ws.terminate();
          return;
        }
        awaitingPong = true;
        ws.ping();
      }, options.heartbeatMs ?? 30_000);
      heartbeat.unref();
      resolve(handle);
    });
    ws.on('close', (code) => {
      clearInterval(heartbeat);
      clearTimeout(closeTimer);
      options.signal?.removeEventListener('abort', onAbort);
      if (!settled)
        fail(
          new KubeError({
            code: 0,
            reason: 'NetworkError',
            message: `${where} closed during the handshake`,
          }),
        );
      if (opened) options.handlers.onClose(failure ? { code, error: failure } : { code });
    });
  });
}

function aborted(where: string): KubeError {
  return new KubeError({ code: 0, reason: 'Aborted', message: `stream to ${where} was aborted` });
}

function socketError(err: Error, where: string): KubeError {
  // the address check's refusal (from the socket's lookup)
  if (err instanceof KubeError) return err;
  // ws names protocol violations itself ("Server sent no subprotocol", "Invalid WebSocket frame");
  // those messages never carry headers or credentials.
  const code = (err as { code?: string }).code ?? '';
  if (err.message.startsWith('Server sent') || code.startsWith('WS_ERR_')) {
    return new KubeError({ code: 0, reason: 'ProtocolError', message: `${where}: ${err.message}` });
  }
  if (err.message.startsWith('Opening handshake has timed out')) {
    return new KubeError({
      code: 0,
      reason: 'Timeout',
      message: `the upgrade of ${where} timed out`,
    });
  }
  return errorFromTransport(err, where);
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxErrorBody) break;
    }
  } catch {
    // a body cut short still tells us the status code
  }
  res.destroy();
  return Buffer.concat(chunks).toString('utf8').slice(0, maxErrorBody);
}

/**
 * Sends one frame and calls back once the socket's send buffer is at most `bound` bytes, so that a
 * writer feeding it (stdin, a forwarded connection) slows down instead of filling memory.
 */
export function sendBounded(
  channel: ChannelSocket,
  frame: { id: number; payload: Buffer; bound: number },
  callback: () => void,
): void {
  let called = false;
  const done = (): void => {
    if (!called) {
      called = true;
      callback();
    }
  };
  // A failed send means the socket is going away; the session's own promise reports why.
  channel.send(frame.id, frame.payload, done);
  if (channel.socket.bufferedAmount <= frame.bound) done();
}
