import { describe, expect, it } from 'vitest';
import { TicketStore } from './tickets.js';
import type { AuthUser } from './types.js';

const ada: AuthUser = {
  id: 'u1',
  username: 'ada',
  displayName: 'Ada',
  groups: ['dev'],
  source: 'local',
  via: 'session',
};

describe('TicketStore', () => {
  it('gives the user back once, within 30 seconds', () => {
    let now = 0;
    const store = new TicketStore(() => now);
    const { ticket, expiresIn } = store.issue(ada);
    expect(expiresIn).toBe(30);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    now = 29_999;
    expect(store.consume(ticket)).toEqual(ada);
    expect(store.consume(ticket)).toBeUndefined();
  });

  it('refuses an expired ticket, and an unknown one', () => {
    let now = 0;
    const store = new TicketStore(() => now);
    const { ticket } = store.issue(ada);
    now = 30_000;
    expect(store.consume(ticket)).toBeUndefined();
    expect(store.consume('made-up')).toBeUndefined();
  });

  it('sweeps expired tickets away', () => {
    let now = 0;
    const store = new TicketStore(() => now);
    store.issue(ada);
    const { ticket } = store.issue(ada);
    now = 20_000;
    const fresh = store.issue(ada);
    now = 31_000;
    store.sweep();
    expect(store.size).toBe(1);
    expect(store.consume(ticket)).toBeUndefined();
    expect(store.consume(fresh.ticket)).toEqual(ada);
  });
});
