// Port-forward over WebSocket: one socket per connection, one port per socket. Port i has a data
// channel 2i and an error channel 2i+1; the server starts each channel with the port number.
import { Duplex } from 'node:stream';
import type { KubeClient } from '../client.ts';
import { KubeError } from '../errors.ts';
import { core, resourcePath } from '../resource.ts';
import { openChannel, sendBounded, type ChannelSocket } from './channel.ts';

export interface PortForwardOptions {
  namespace: string;
  pod: string;
  /** The container port to reach. */
  port: number;
  signal?: AbortSignal;
}

export interface PortForward {
  /** Bytes to and from the port. The socket has no half-close: `end()` alone sends no EOF. */
  readonly stream: Duplex;
  /** Resolves when the connection ends; rejects with what the error channel or socket reported. */
  readonly closed: Promise<void>;
  /** The subprotocol the server chose. */
  readonly protocol: string;
  close(): void;
}

/** Both names of the same binary framing; servers pick whichever they know. */
export const portForwardProtocols = ['v4.channel.k8s.io', 'portforward.k8s.io'] as const;

const dataChannel = 0;
const errorChannel = 1;
const writeBufferBound = 1024 * 1024;
const maxErrorText = 4096;

/** Strips the 2-byte little-endian port the server sends first on every channel. */
export class PortPrefixReader {
  readonly #port: number;
  readonly #header = new Map<number, number[]>();

  constructor(port: number) {
    this.#port = port;
  }

  /** The payload without the prefix; throws a KubeError when the prefix names another port. */
  take(channel: number, payload: Buffer): Buffer {
    const got = this.#header.get(channel) ?? [];
    if (got.length === 2) return payload;
    let used = 0;
    while (got.length < 2 && used < payload.length) got.push(payload.readUInt8(used++));
    this.#header.set(channel, got);
    const [low, high] = got;
    if (low !== undefined && high !== undefined && (low | (high << 8)) !== this.#port) {
      throw new KubeError({
        code: 0,
        reason: 'ProtocolError',
        message: `port-forward channel ${channel} is for port ${low | (high << 8)}, not ${this.#port}`,
      });
    }
    return payload.subarray(used);
  }
}

export function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new KubeError({
      code: 0,
      reason: 'InvalidConfig',
      message: `invalid port ${String(port)}`,
    });
  }
}

export async function portForward(
  client: KubeClient,
  options: PortForwardOptions,
): Promise<PortForward> {
  checkPort(options.port);
  const prefix = new PortPrefixReader(options.port);
  // set once open; read() and write() only run after that
  const link: { channel?: ChannelSocket } = {};
  let failure: KubeError | undefined;
  let errorText = '';
  let settle!: { resolve: () => void; reject: (err: KubeError) => void };
  const closed = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  closed.catch(() => undefined);

  const stream = new Duplex({
    allowHalfOpen: true,
    read() {
      if (link.channel?.socket.isPaused) link.channel.socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      const channel = link.channel;
      if (!channel) {
        callback(
          new KubeError({ code: 0, reason: 'Aborted', message: 'the port-forward is not open' }),
        );
        return;
      }
      sendBounded(channel, { id: dataChannel, payload: chunk, bound: writeBufferBound }, callback);
    },
    final(callback) {
      callback();
    },
    destroy(err, callback) {
      link.channel?.close();
      callback(err);
    },
  });

  const open = await openChannel({
    transport: client.transport,
    impersonate: client.impersonation,
    path: resourcePath(core.pods, {
      namespace: options.namespace,
      name: options.pod,
      subresource: 'portforward',
    }),
    query: { ports: options.port },
    protocols: portForwardProtocols,
    ...(options.signal ? { signal: options.signal } : {}),
    handlers: {
      onFrame(id, payload, socket) {
        let data: Buffer;
        try {
          data = prefix.take(id, payload);
        } catch (err) {
          failure ??= err as KubeError;
          socket.close();
          return;
        }
        if (data.length === 0) return;
        if (id === dataChannel) {
          if (!stream.destroyed && !stream.push(data)) socket.socket.pause();
        } else if (id === errorChannel && errorText.length < maxErrorText) {
          errorText += data.toString('utf8');
        }
      },
      onClose({ error }) {
        const text = errorText.trim().slice(0, maxErrorText);
        const cause =
          failure ??
          (text !== ''
            ? new KubeError({ code: 500, reason: 'InternalError', message: text })
            : error);
        if (!stream.readableEnded) stream.push(null);
        if (!stream.destroyed && !stream.writableEnded) stream.end();
        if (cause) settle.reject(cause);
        else settle.resolve();
      },
    },
  });
  link.channel = open;
  return {
    stream,
    closed,
    protocol: open.protocol,
    close() {
      open.close();
    },
  };
}
