// Exponential backoff with full jitter, so that many informers reconnecting after an API server
// restart don't arrive in lockstep.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Random source in [0, 1), replaceable in tests. */
  random?: () => number;
}

export class Backoff {
  #attempt = 0;
  readonly #options: BackoffOptions;

  constructor(options: BackoffOptions) {
    this.#options = options;
  }

  /** The next delay: uniformly random up to min(max, initial * 2^attempt), never below initial/2. */
  next(): number {
    const { initialMs, maxMs, random = Math.random } = this.#options;
    const ceiling = Math.min(maxMs, initialMs * 2 ** this.#attempt);
    this.#attempt += 1;
    return Math.round(initialMs / 2 + random() * Math.max(0, ceiling - initialMs / 2));
  }

  reset(): void {
    this.#attempt = 0;
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
