// Sign-in throttling, in memory and therefore per replica: fixed windows of attempts per client
// address and per username+address, and a lockout of a username from one address after consecutive
// failures from there. The lock is per (account, address), so a stranger guessing from elsewhere
// cannot lock the administrator out. Unknown usernames are counted and locked like real ones, so
// the answers do not reveal which exist.
import type { LoginLimits } from '../../config/auth.js';

export type LoginVerdict =
  | { kind: 'allowed' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'locked'; retryAfterSeconds: number };

interface Window {
  count: number;
  resetAt: number;
}

interface Failures {
  count: number;
  lastAt: number;
  lockedUntil: number;
}

/** Beyond this many tracked keys the oldest are dropped, so spraying names cannot exhaust memory. */
const maxEntries = 100_000;

export class LoginLimiter {
  readonly #limits: LoginLimits;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();
  readonly #failures = new Map<string, Failures>();

  constructor(limits: LoginLimits, now: () => number = () => Date.now()) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Counts an attempt and says whether it may go ahead. Call before checking the password. */
  attempt({ username, ip }: { username: string; ip: string }): LoginVerdict {
    const now = this.#now();
    const perIp = this.#hit(`ip\u0000${ip}`, now);
    const perUser = this.#hit(`user\u0000${username}\u0000${ip}`, now);
    const limited = [
      perIp.count > this.#limits.maxPerIp ? perIp : undefined,
      perUser.count > this.#limits.maxPerUserAndIp ? perUser : undefined,
    ].filter((w) => w !== undefined);
    if (limited.length > 0) {
      const resetAt = Math.max(...limited.map((w) => w.resetAt));
      return { kind: 'rate-limited', retryAfterSeconds: seconds(resetAt - now) };
    }
    const failures = this.#failures.get(failureKey({ username, ip }));
    if (failures !== undefined && failures.lockedUntil > now) {
      return { kind: 'locked', retryAfterSeconds: seconds(failures.lockedUntil - now) };
    }
    return { kind: 'allowed' };
  }

  /** Records a wrong password; returns true when this failure locked the account at this address. */
  failed(attempt: { username: string; ip: string }): boolean {
    const now = this.#now();
    const key = failureKey(attempt);
    const previous = this.#failures.get(key);
    // Attempts already in flight when the lock fell change nothing.
    if (previous !== undefined && previous.lockedUntil > now) return false;
    // Failures further apart than a lockout period are not a run.
    const fresh = previous !== undefined && now - previous.lastAt < this.#lockoutMs();
    const count = (fresh ? previous.count : 0) + 1;
    const locks = count >= this.#limits.lockoutFailures;
    this.#failures.delete(key);
    this.#failures.set(key, {
      count: locks ? 0 : count,
      lastAt: now,
      lockedUntil: locks ? now + this.#lockoutMs() : 0,
    });
    this.#bound(this.#failures);
    return locks;
  }

  succeeded(attempt: { username: string; ip: string }): void {
    this.#failures.delete(failureKey(attempt));
  }

  /** Forgets windows and locks that have run out. */
  sweep(): void {
    const now = this.#now();
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
    for (const [key, failures] of this.#failures) {
      if (failures.lockedUntil <= now && now - failures.lastAt >= this.#lockoutMs()) {
        this.#failures.delete(key);
      }
    }
  }

  #lockoutMs(): number {
    return this.#limits.lockoutMinutes * 60_000;
  }

  #hit(key: string, now: number): Window {
    let window = this.#windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.#limits.windowSeconds * 1000 };
      this.#windows.delete(key);
      this.#windows.set(key, window);
      this.#bound(this.#windows);
    }
    window.count++;
    return window;
  }

  #bound(map: Map<string, unknown>): void {
    for (const key of map.keys()) {
      if (map.size <= maxEntries) return;
      map.delete(key);
    }
  }
}

function failureKey({ username, ip }: { username: string; ip: string }): string {
  return `${username}\u0000${ip}`;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** "14 minutes", "40 seconds": for messages. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
