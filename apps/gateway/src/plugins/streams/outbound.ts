// Messages to the browser with backpressure: once more than `highWater` bytes wait in the socket,
// `send` says stop, and the producer (the upstream stream) pauses until the socket has drained
// below `lowWater`. So a slow browser slows the pod's output instead of filling the gateway.
import { CloseCode, StreamType } from '@binnacle/contract';
import type { WebSocket } from '@fastify/websocket';

export interface StreamFailure {
  code: string;
  message: string;
}

export interface Outbound {
  /** Sends one message; false when the socket is over its high-water mark (pause the source). */
  send: (message: object) => boolean;
  /** Calls `resume` once the socket is below its low-water mark (at once when it already is). */
  whenDrained: (resume: () => void) => void;
  /** Sends `error` and closes with `closeCode` (1011 unless told otherwise). */
  fail: (failure: StreamFailure, closeCode?: number) => void;
  /** Closes the socket unless it is already closing. */
  close: (code: number, reason?: string) => void;
  /** False once the socket is closing or closed. */
  readonly open: boolean;
}

export interface OutboundOptions {
  highWater?: number;
  lowWater?: number;
  /** Told of every message sent. */
  count?: () => void;
}

/** Bytes waiting in the socket beyond which the source pauses. */
export const defaultHighWater = 1024 * 1024;

/** Close reasons must fit in 123 bytes; the `error` message before the close has the full text. */
function shortReason(text: string): string {
  const buffer = Buffer.from(text, 'utf8');
  return buffer.length <= 123 ? text : `${buffer.subarray(0, 120).toString('utf8')}…`;
}

export function outbound(socket: WebSocket, options: OutboundOptions = {}): Outbound {
  const highWater = options.highWater ?? defaultHighWater;
  const lowWater = options.lowWater ?? highWater / 4;
  const waiting: (() => void)[] = [];
  const isOpen = (): boolean => socket.readyState === socket.OPEN;

  // Called as each message leaves the process; the last one of a backlog finds the buffer drained.
  const written = (): void => {
    if (waiting.length === 0 || socket.bufferedAmount > lowWater) return;
    for (const resume of waiting.splice(0)) resume();
  };

  const close = (code: number, reason = ''): void => {
    if (isOpen()) socket.close(code, shortReason(reason));
  };

  return {
    send: (message) => {
      if (!isOpen()) return false;
      socket.send(JSON.stringify(message), written);
      options.count?.();
      return socket.bufferedAmount <= highWater;
    },
    whenDrained: (resume) => {
      if (socket.bufferedAmount <= lowWater) queueMicrotask(resume);
      else waiting.push(resume);
    },
    fail: (failure, closeCode = CloseCode.upstream) => {
      if (!isOpen()) return;
      socket.send(JSON.stringify({ type: StreamType.error, ...failure }));
      options.count?.();
      close(closeCode, failure.message);
    },
    close,
    get open() {
      return isOpen();
    },
  };
}
