// A budget for the audit rows that anonymous requests leave (refused sign-ins, refused calls and
// upgrades, failed SSO callbacks): so many per client address per window, and past that one row
// per address and window that counts what was left out, instead of a row per request.

export interface Suppressed {
  ip: string;
  /** Rows left out in the window. */
  count: number;
  /** The window, as epoch ms. */
  from: number;
  to: number;
}

interface Window {
  start: number;
  written: number;
  suppressed: number;
}

/** Addresses tracked at once; beyond this the oldest window is summarised early. */
const maxAddresses = 10_000;

export class AnonymousBudget {
  readonly #perAddress: number;
  readonly #windowMs: number;
  readonly #windows = new Map<string, Window>();

  constructor(options: { perAddress: number; windowMs: number }) {
    this.#perAddress = options.perAddress;
    this.#windowMs = options.windowMs;
  }

  /**
   * Whether a row from this address may be written now. The summaries of windows that ended are
   * returned to be written (at most one per address).
   */
  admit(ip: string, now: number): { admitted: boolean; ended: Suppressed[] } {
    const ended: Suppressed[] = [];
    let window = this.#windows.get(ip);
    if (window !== undefined && now - window.start >= this.#windowMs) {
      const summary = this.#end(ip, window);
      if (summary !== undefined) ended.push(summary);
      window = undefined;
    }
    if (window === undefined) {
      window = { start: now, written: 0, suppressed: 0 };
      this.#windows.set(ip, window);
      for (const [oldest, old] of this.#windows) {
        if (this.#windows.size <= maxAddresses) break;
        const summary = this.#end(oldest, old);
        if (summary !== undefined) ended.push(summary);
      }
    }
    if (window.written < this.#perAddress) {
      window.written++;
      return { admitted: true, ended };
    }
    window.suppressed++;
    return { admitted: false, ended };
  }

  /** Ends the windows that are over (all of them with `all`), returning their summaries. */
  sweep(now: number, all = false): Suppressed[] {
    const ended: Suppressed[] = [];
    for (const [ip, window] of this.#windows) {
      if (!all && now - window.start < this.#windowMs) continue;
      const summary = this.#end(ip, window);
      if (summary !== undefined) ended.push(summary);
    }
    return ended;
  }

  #end(ip: string, window: Window): Suppressed | undefined {
    this.#windows.delete(ip);
    if (window.suppressed === 0) return undefined;
    return {
      ip,
      count: window.suppressed,
      from: window.start,
      to: window.start + this.#windowMs,
    };
  }
}
