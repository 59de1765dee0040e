// The tab's one live socket. Subscriptions are kept here, so after a drop the client fetches a new
// ticket, reconnects with backoff and sends every subscription again under the same id.
import {
  decodeMessage,
  liveHeartbeatMs,
  LiveServerMessageSchema,
  LiveType,
  type LiveServerMessage,
  type Subscribe,
} from '@binnacle/contract';

/** The part of WebSocket the client uses (a fake one in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type LiveStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
export type LiveRequest = Omit<Subscribe, 'type' | 'id'>;
export type LiveHandler = (message: LiveServerMessage) => void;

export interface LiveClientOptions {
  /** Opens a socket with a fresh ticket. */
  connect: () => Promise<SocketLike>;
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Silence this long means the connection is dead even if no close arrived. */
  silenceMs?: number;
  onStatus?: (status: LiveStatus) => void;
}

const socketOpen = 1;

export class LiveClient {
  private readonly subscriptions = new Map<string, { message: Subscribe; handler: LiveHandler }>();
  private socket: SocketLike | undefined;
  private connecting = false;
  private closed = false;
  private attempt = 0;
  private sequence = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: LiveClientOptions) {}

  /** Returns the function that ends the subscription. */
  subscribe(request: LiveRequest, handler: LiveHandler): () => void {
    this.sequence += 1;
    const id = `s${String(this.sequence)}`;
    const message: Subscribe = { ...request, type: LiveType.subscribe, id };
    this.subscriptions.set(id, { message, handler });
    if (this.socket?.readyState === socketOpen) this.socket.send(JSON.stringify(message));
    else void this.connect();
    return () => {
      this.unsubscribe(id);
    };
  }

  get size(): number {
    return this.subscriptions.size;
  }

  /** Ends every subscription and the socket; the client is not used again. */
  close(): void {
    this.closed = true;
    this.subscriptions.clear();
    this.stopTimers();
    this.socket?.close(1000);
    this.socket = undefined;
    this.options.onStatus?.('closed');
  }

  private unsubscribe(id: string): void {
    if (!this.subscriptions.delete(id)) return;
    if (this.socket?.readyState === socketOpen) {
      this.socket.send(JSON.stringify({ type: LiveType.unsubscribe, id }));
    }
    if (this.subscriptions.size === 0) {
      // Nothing to watch: no reason to hold a connection (or a pending retry) open.
      this.stopTimers();
      this.socket?.close(1000);
      this.socket = undefined;
      this.attempt = 0;
      this.options.onStatus?.('idle');
    }
  }

  private async connect(): Promise<void> {
    if (this.socket !== undefined || this.connecting || this.closed) return;
    if (this.subscriptions.size === 0 || this.retryTimer !== undefined) return;
    this.connecting = true;
    this.options.onStatus?.(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let socket: SocketLike;
    try {
      socket = await this.options.connect();
    } catch {
      this.connecting = false;
      this.retryLater();
      return;
    }
    this.connecting = false;
    // The client may have been closed, or emptied, while the ticket was being fetched.
    if (!this.wanted()) {
      socket.close(1000);
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.options.onStatus?.('open');
      for (const { message } of this.subscriptions.values()) socket.send(JSON.stringify(message));
      this.heard();
    });
    socket.addEventListener('message', (event) => {
      this.heard();
      if (typeof event.data === 'string') this.receive(event.data);
    });
    socket.addEventListener('close', () => {
      this.dropped(socket);
    });
  }

  private wanted(): boolean {
    return !this.closed && this.subscriptions.size > 0;
  }

  private receive(text: string): void {
    const message = decodeMessage(LiveServerMessageSchema, text);
    if (message === undefined || message.type === LiveType.heartbeat) return;
    const id = 'id' in message ? message.id : undefined;
    if (id !== undefined) {
      this.subscriptions.get(id)?.handler(message);
      return;
    }
    // An error about the socket as a whole reaches every subscriber.
    for (const { handler } of this.subscriptions.values()) handler(message);
  }

  private heard(): void {
    clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.silenceTimer = setTimeout(
      () => {
        socket?.close(4000, 'no heartbeat');
        if (socket !== undefined) this.dropped(socket);
      },
      this.options.silenceMs ?? liveHeartbeatMs * 2.5,
    );
  }

  private dropped(socket: SocketLike): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    clearTimeout(this.silenceTimer);
    this.retryLater();
  }

  private retryLater(): void {
    if (this.closed || this.subscriptions.size === 0 || this.retryTimer !== undefined) return;
    const min = this.options.retryMinMs ?? 1000;
    const delay = Math.min(this.options.retryMaxMs ?? 30_000, min * 2 ** this.attempt);
    this.attempt += 1;
    this.options.onStatus?.('reconnecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  private stopTimers(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    this.retryTimer = undefined;
    this.silenceTimer = undefined;
  }
}
