// Test support: a live-protocol client over a real WebSocket, keeping every message it hears.
import type { Socket } from 'node:net';
import {
  LiveType,
  livePath,
  type LiveClientMessage,
  type LiveServerMessage,
} from '@binnacle/contract';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';

if (process.env.VITEST === undefined) throw new Error('live-client.ts is test support only');

/** A message with when it arrived (ms since the epoch). */
export type Heard = LiveServerMessage & { heardAt: number };

export class LiveClient {
  readonly messages: Heard[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #socket: WebSocket;
  #tcp: Socket | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('upgrade', (response) => {
      this.#tcp = response.socket;
    });
    socket.on('message', (data: Buffer) => {
      this.messages.push({
        ...(JSON.parse(data.toString('utf8')) as LiveServerMessage),
        heardAt: Date.now(),
      });
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString('utf8') });
      });
    });
  }

  /** Opens the live socket; rejects with the HTTP status when the upgrade is refused. */
  static open(
    base: string,
    options: { ticket?: string; headers?: Record<string, string> } = {},
  ): Promise<LiveClient> {
    const query = options.ticket === undefined ? '' : `?ticket=${options.ticket}`;
    const socket = new WebSocket(`${base}${livePath}${query}`, { headers: options.headers ?? {} });
    const client = new LiveClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        resolve(client);
      });
      socket.once('unexpected-response', (_request, response) => {
        reject(new Error(`upgrade refused: ${String(response.statusCode)}`));
      });
      socket.once('error', reject);
    });
  }

  send(message: LiveClientMessage | Record<string, unknown> | string): void {
    this.#socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Stops reading from the TCP socket (a browser tab that fell behind), or starts again. */
  pause(paused: boolean): void {
    if (paused) this.#tcp?.pause();
    else this.#tcp?.resume();
  }

  /** The first message so far that matches, or the first to come; fails after `timeoutMs`. */
  async waitFor(match: (message: Heard) => boolean, timeoutMs = 10_000): Promise<Heard> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found !== undefined) return found;
      if (Date.now() > until) {
        throw new Error(`no such message; heard ${JSON.stringify(this.messages.map(brief))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Messages about one subscription. */
  about(id: string, type?: LiveServerMessage['type']): Heard[] {
    return this.messages.filter(
      (m) => 'id' in m && m.id === id && (type === undefined || m.type === type),
    );
  }

  close(): void {
    this.#socket.close();
  }
}

function brief(message: Heard): unknown {
  if (message.type === LiveType.snapshot) return { ...message, items: message.items.length };
  if (message.type === LiveType.events) {
    return {
      ...message,
      events: message.events.map((e) => `${e.type} ${e.object.metadata.name}`),
    };
  }
  return message;
}

/** The app's address once it listens on a free loopback port, as a ws:// base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return address.replace(/^http/, 'ws');
}

/** The names in the `events` messages of a subscription, as "type name". */
export function eventNames(client: LiveClient, id: string): string[] {
  return client
    .about(id, LiveType.events)
    .flatMap((m) =>
      m.type === LiveType.events ? m.events.map((e) => `${e.type} ${e.object.metadata.name}`) : [],
    );
}
