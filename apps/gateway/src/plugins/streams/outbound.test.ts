import { EventEmitter } from 'node:events';
import type { WebSocket } from '@fastify/websocket';
import { describe, expect, it } from 'vitest';
import { outbound } from './outbound.js';

/** The parts of a ws socket that outbound() uses, with a buffer the test controls. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  readonly pending: { bytes: number; callback?: (() => void) | undefined }[] = [];
  closedWith: [number, string] | undefined;

  send(data: string, callback?: () => void): void {
    this.sent.push(data);
    this.bufferedAmount += data.length;
    this.pending.push({ bytes: data.length, callback });
  }

  /** The network took the oldest message; its callback runs as it leaves, as in ws. */
  flushOne(): void {
    const write = this.pending.shift();
    if (write === undefined) return;
    this.bufferedAmount -= write.bytes;
    write.callback?.();
  }

  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
    this.readyState = 2;
  }
}

function setUp(): { socket: FakeSocket; out: ReturnType<typeof outbound> } {
  const socket = new FakeSocket();
  // outbound() reads only the members FakeSocket has.
  const out = outbound(socket as unknown as WebSocket, { highWater: 100, lowWater: 25 });
  return { socket, out };
}

describe('outbound', () => {
  it('says stop past the high-water mark, and resumes once drained below the low one', () => {
    const { socket, out } = setUp();
    expect(out.send({ type: 'stdout', data: 'x'.repeat(40) })).toBe(true);
    expect(out.send({ type: 'stdout', data: 'x'.repeat(40) })).toBe(false);
    let resumed = 0;
    out.whenDrained(() => (resumed += 1));
    socket.flushOne();
    expect(socket.bufferedAmount).toBeGreaterThan(25);
    expect(resumed).toBe(0);
    socket.flushOne();
    expect(resumed).toBe(1);
  });

  it('resumes on the next tick when nothing waits', async () => {
    const { out } = setUp();
    let resumed = false;
    out.whenDrained(() => (resumed = true));
    expect(resumed).toBe(false);
    await Promise.resolve();
    expect(resumed).toBe(true);
  });

  it('fails with an error message and a close reason cut to fit a close frame', () => {
    const { socket, out } = setUp();
    const message = 'é'.repeat(100);
    out.fail({ code: 'Upstream', message });
    expect(JSON.parse(socket.sent[0] ?? '')).toEqual({ type: 'error', code: 'Upstream', message });
    expect(socket.closedWith?.[0]).toBe(1011);
    expect(Buffer.byteLength(socket.closedWith?.[1] ?? '')).toBeLessThanOrEqual(123);
    expect(out.open).toBe(false);
    expect(out.send({ type: 'end' })).toBe(false);
    expect(socket.sent).toHaveLength(1);
  });
});
