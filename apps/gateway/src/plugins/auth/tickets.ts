// One-time WebSocket tickets: browsers cannot set headers on a WebSocket, so an authenticated POST
// gets a short-lived ticket for the upgrade URL. In memory, so a ticket works on the replica that
// issued it.
import { randomBytes } from 'node:crypto';
import type { AuthUser } from './types.js';

export const ticketTtlSeconds = 30;
/** Outstanding tickets per replica; a flood of POSTs cannot grow the map beyond this. */
const maxTickets = 10_000;

export class TicketStore {
  readonly #now: () => number;
  readonly #tickets = new Map<string, { user: AuthUser; expiresAt: number }>();

  constructor(now: () => number = () => Date.now()) {
    this.#now = now;
  }

  issue(user: AuthUser): { ticket: string; expiresIn: number } {
    if (this.#tickets.size >= maxTickets) this.sweep();
    // Still full: drop the oldest, which expire first.
    for (const key of this.#tickets.keys()) {
      if (this.#tickets.size < maxTickets) break;
      this.#tickets.delete(key);
    }
    const ticket = randomBytes(32).toString('base64url');
    this.#tickets.set(ticket, { user, expiresAt: this.#now() + ticketTtlSeconds * 1000 });
    return { ticket, expiresIn: ticketTtlSeconds };
  }

  /** The ticket's user if it is outstanding and fresh; a ticket is gone after its first use. */
  consume(ticket: string): AuthUser | undefined {
    const entry = this.#tickets.get(ticket);
    if (entry === undefined) return undefined;
    this.#tickets.delete(ticket);
    return entry.expiresAt > this.#now() ? entry.user : undefined;
  }

  sweep(): void {
    const now = this.#now();
    for (const [ticket, entry] of this.#tickets) {
      if (entry.expiresAt <= now) this.#tickets.delete(ticket);
    }
  }

  get size(): number {
    return this.#tickets.size;
  }
}
