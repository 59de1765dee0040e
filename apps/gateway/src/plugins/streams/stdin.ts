// Browser keystrokes and pastes to the command's stdin, bounded: input that arrives before the
// session is accepted waits here, and while the waiting input or the session's stdin buffer is
// over the bound, the browser's socket stops being read (TCP then slows the browser down).
import type { ExecSession } from '@binnacle/kube';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from '@fastify/websocket';

/** Input allowed to wait before the browser socket is paused. */
export const stdinBound = 256 * 1024;

export interface StdinPipe {
  write: (data: Buffer) => void;
  /** close-stdin: after what was written (on v4 servers, which cannot, it is only logged). */
  end: () => void;
  /** From now on input goes to this session. */
  connect: (session: ExecSession) => void;
}

export function stdinPipe(socket: WebSocket, log: FastifyBaseLogger): StdinPipe {
  let session: ExecSession | undefined;
  let waiting: Buffer[] = [];
  let waitingBytes = 0;
  let ended = false;
  let paused = false;

  const resume = (): void => {
    if (!paused) return;
    paused = false;
    socket.resume();
  };
  /** Stops reading the browser until the session's stdin has drained (or is gone). */
  const holdUntilDrained = (stream: ExecSession['stdin']): void => {
    if (paused || (!stream.writableNeedDrain && stream.writableLength <= stdinBound)) return;
    paused = true;
    socket.pause();
    stream.once('drain', resume);
    stream.once('close', resume);
  };
  const send = (target: ExecSession, data: Buffer): void => {
    const stream = target.stdin;
    if (stream.destroyed || stream.writableEnded) return;
    stream.write(data);
    holdUntilDrained(stream);
  };
  const close = (target: ExecSession): void => {
    try {
      target.closeStdin();
    } catch (err) {
      log.debug({ err }, 'stdin could not be closed');
    }
  };

  return {
    write: (data) => {
      if (ended) return;
      if (session !== undefined) {
        send(session, data);
        return;
      }
      waiting.push(data);
      waitingBytes += data.length;
      if (waitingBytes > stdinBound && !paused) {
        paused = true;
        socket.pause();
      }
    },
    end: () => {
      if (ended) return;
      ended = true;
      if (session !== undefined) close(session);
    },
    connect: (target) => {
      session = target;
      const queued = waiting;
      waiting = [];
      waitingBytes = 0;
      // The pause for the queue ends here; the session's own buffer may start another.
      resume();
      for (const data of queued) send(target, data);
      if (ended) close(target);
    },
  };
}
