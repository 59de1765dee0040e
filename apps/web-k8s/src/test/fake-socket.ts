// A WebSocket stand-in for unit tests: records what was sent, and lets the test open, answer and
// drop the connection.

type Listener = (event: { data: unknown; code?: number }) => void;

export class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeSocket[] = [];

  readyState = FakeSocket.CONNECTING;
  readonly sent: string[] = [];
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly url = 'ws://test/live') {
    FakeSocket.instances.push(this);
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.set(
      type,
      (this.listeners.get(type) ?? []).filter((l) => l !== listener),
    );
  }

  send(data: string): void {
    if (this.readyState !== FakeSocket.OPEN) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }

  close(code = 1000): void {
    if (this.readyState === FakeSocket.CLOSED) return;
    this.readyState = FakeSocket.CLOSED;
    this.emit('close', { data: undefined, code });
  }

  /** Test side: the server accepted the connection. */
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.emit('open', { data: undefined });
  }

  /** Test side: the server sent a message. */
  receive(message: unknown): void {
    this.emit('message', { data: JSON.stringify(message) });
  }

  /** Test side: the connection dropped. */
  drop(code = 1006): void {
    this.close(code);
  }

  messages(): { type: string; id?: string }[] {
    return this.sent.map((text) => JSON.parse(text) as { type: string; id?: string });
  }

  private emit(type: string, event: { data: unknown; code?: number }): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}
