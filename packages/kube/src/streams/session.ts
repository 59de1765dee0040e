// One exec or attach session: the channel frames turned into Node streams, with backpressure both
// ways, and the error channel turned into an exit code.
import { Readable, Writable } from 'node:stream';
import type { Impersonation } from '../connection.ts';
import { errorFromStatus, KubeError, type Status } from '../errors.ts';
import type { RequestOptions, Transport } from '../transport/transport.ts';
import {
  Channel,
  channelProtocols,
  openChannel,
  sendBounded,
  type ChannelProtocol,
  type ChannelSocket,
} from './channel.ts';

export interface ExecExit {
  /** 0 on success, else the process's exit code. */
  code: number;
  /** The Status the server sent, when it sent one. */
  status?: Status;
}

export interface ExecSession {
  /** The subprotocol the server chose; only v5 can close stdin. */
  readonly protocol: ChannelProtocol;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Writes go out as stdin frames; `end()` closes stdin on v5 (on v4 the server never sees EOF). */
  readonly stdin: Writable;
  /**
   * Resolves with the exit code once the server reports it; rejects with a KubeError when the
   * command could not run, the socket failed, or the session was closed or aborted first.
   */
  readonly exit: Promise<ExecExit>;
  /** Sets the terminal size (tty sessions). */
  resize(size: { cols: number; rows: number }): void;
  /** Closes stdin after what was written; throws a KubeError on v4, which cannot do it. */
  closeStdin(): void;
  /** Ends the session; a pending `exit` rejects with reason `Aborted`. */
  close(): void;
}

export interface SessionOptions {
  transport: Transport;
  impersonate?: Impersonation | undefined;
  path: string;
  query: RequestOptions['query'];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  signal?: AbortSignal;
}

/** Bytes allowed to wait in the socket before a stdin write has to wait for the network. */
const stdinBufferBound = 1024 * 1024;
const readableHighWater = 64 * 1024;

/** Reads the error channel's Status: success, a non-zero exit code, or a failure to report. */
export function exitFromStatus(status: Status): ExecExit | KubeError {
  if (status.status === 'Success') return { code: 0, status };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code) && code > 0) return { code, status };
  }
  return errorFromStatus(status);
}

function parseStatus(payload: Buffer): Status | undefined {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function openSession(options: SessionOptions): Promise<ExecSession> {
  // set once open; read() and write() only run after that
  const link: { channel?: ChannelSocket } = {};
  let closedByUs = false;
  let reported = false;
  let settle!: { resolve: (exit: ExecExit) => void; reject: (err: KubeError) => void };
  const exit = new Promise<ExecExit>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A caller that only reads the output must not crash the process with an unhandled rejection.
  exit.catch(() => undefined);

  // Streams whose reader is behind; the socket stays paused until all of them asked for more.
  const behind = new Set<Readable>();
  const output = (): Readable => {
    const stream: Readable = new Readable({
      highWaterMark: readableHighWater,
      read() {
        behind.delete(stream);
        if (behind.size === 0 && link.channel?.socket.isPaused) link.channel.socket.resume();
      },
      destroy(err, callback) {
        behind.delete(stream);
        if (behind.size === 0 && link.channel?.socket.isPaused) link.channel.socket.resume();
        callback(err);
      },
    });
    return stream;
  };
  const stdout = output();
  const stderr = output();
  if (!options.stdout) stdout.push(null);
  if (!options.stderr) stderr.push(null);

  const deliver = (stream: Readable, payload: Buffer, channel: ChannelSocket): void => {
    // The server opens each channel with an empty frame; a destroyed stream means nobody reads.
    if (payload.length === 0 || stream.destroyed || stream.readableEnded) return;
    if (!stream.push(payload)) {
      behind.add(stream);
      channel.socket.pause();
    }
  };

  const report = (status: Status | undefined): void => {
    if (reported) return;
    reported = true;
    if (!status) {
      settle.reject(
        new KubeError({
          code: 0,
          reason: 'ProtocolError',
          message: 'the exec error channel sent something that is not a Status',
        }),
      );
      return;
    }
    const result = exitFromStatus(status);
    if (result instanceof KubeError) settle.reject(result);
    else settle.resolve(result);
  };

  const stdin = new Writable({
    highWaterMark: readableHighWater,
    write(chunk: Buffer, _encoding, callback) {
      const channel = link.channel;
      if (!options.stdin || !channel) {
        callback(
          new KubeError({
            code: 0,
            reason: 'InvalidConfig',
            message: 'stdin was not requested for this session',
          }),
        );
        return;
      }
      sendBounded(
        channel,
        { id: Channel.stdin, payload: chunk, bound: stdinBufferBound },
        callback,
      );
    },
    final(callback) {
      const channel = link.channel;
      if (channel?.protocol === 'v5.channel.k8s.io' && options.stdin) {
        channel.send(Channel.close, Buffer.from([Channel.stdin]), () => {
          callback();
        });
      } else callback();
    },
  });

  const open = await openChannel({
    transport: options.transport,
    impersonate: options.impersonate,
    path: options.path,
    query: options.query,
    protocols: channelProtocols,
    ...(options.signal ? { signal: options.signal } : {}),
    handlers: {
      onFrame(id, payload, socket) {
        if (id === Channel.stdout && options.stdout) deliver(stdout, payload, socket);
        else if (id === Channel.stderr && options.stderr) deliver(stderr, payload, socket);
        else if (id === Channel.error && payload.length > 0) report(parseStatus(payload));
      },
      onClose({ error }) {
        if (!stdout.readableEnded) stdout.push(null);
        if (!stderr.readableEnded) stderr.push(null);
        stdin.destroy();
        if (reported) return;
        reported = true;
        const cause = closedByUs
          ? new KubeError({
              code: 0,
              reason: 'Aborted',
              message: 'the exec session was closed before the command finished',
            })
          : new KubeError({
              code: 0,
              reason: 'ProtocolError',
              message: 'the exec stream closed without an exit status',
            });
        settle.reject(error ?? cause);
      },
    },
  });
  link.channel = open;
  if (open.protocol !== 'v5.channel.k8s.io' && open.protocol !== 'v4.channel.k8s.io') {
    open.close();
    throw new KubeError({
      code: 0,
      reason: 'ProtocolError',
      message: `the server chose an unknown subprotocol "${open.protocol.slice(0, 64)}"`,
    });
  }
  const protocol: ChannelProtocol = open.protocol;

  return {
    protocol,
    stdout,
    stderr,
    stdin,
    exit,
    resize({ cols, rows }) {
      if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols <= 0 || rows <= 0) {
        throw new KubeError({
          code: 0,
          reason: 'InvalidConfig',
          message: 'terminal size must be positive whole numbers',
        });
      }
      open.send(Channel.resize, JSON.stringify({ Width: cols, Height: rows }));
    },
    closeStdin() {
      if (protocol !== 'v5.channel.k8s.io') {
        throw new KubeError({
          code: 0,
          reason: 'ProtocolError',
          message:
            'closing stdin needs v5.channel.k8s.io; the server only speaks v4.channel.k8s.io',
        });
      }
      if (!options.stdin) {
        throw new KubeError({
          code: 0,
          reason: 'InvalidConfig',
          message: 'stdin was not requested for this session',
        });
      }
      stdin.end();
    },
    close() {
      closedByUs = true;
      open.close();
    },
  };
}
