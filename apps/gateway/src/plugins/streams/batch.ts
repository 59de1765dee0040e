// Log text to `data` messages: whole lines only, gathered for up to `intervalMs` or `maxChars`, so
// a chatty container makes a few messages a second rather than one per line. A line longer than
// `maxChars` goes out in pieces; the last, unterminated line goes out when the log ends.

export interface LineBatcher {
  /** Adds decoded log text. */
  write: (text: string) => void;
  /** Sends everything held, an unterminated last line too, and stops the timer. */
  end: () => void;
  /** Stops the timer and drops what is held (the browser left). */
  dispose: () => void;
}

export interface LineBatcherOptions {
  send: (data: string) => void;
  /** Longest wait before complete lines go out (default 100 ms). */
  intervalMs?: number;
  /** Held text that makes a batch go out at once (default 64 Ki characters). */
  maxChars?: number;
}

export function lineBatcher(options: LineBatcherOptions): LineBatcher {
  const intervalMs = options.intervalMs ?? 100;
  const maxChars = options.maxChars ?? 64 * 1024;
  let held = '';
  let timer: NodeJS.Timeout | undefined;

  const stopTimer = (): void => {
    clearTimeout(timer);
    timer = undefined;
  };

  /** Sends the complete lines held (all of it when `everything`). */
  const flush = (everything: boolean): void => {
    stopTimer();
    while (held.length > 0) {
      const cut = everything ? held.length : held.lastIndexOf('\n', maxChars - 1) + 1;
      // No line end in reach: a line longer than maxChars goes out in pieces of maxChars.
      const size = cut > 0 ? cut : held.length >= maxChars ? maxChars : 0;
      if (size === 0) return;
      options.send(held.slice(0, size));
      held = held.slice(size);
    }
  };

  return {
    write: (text) => {
      if (text === '') return;
      held += text;
      if (held.length >= maxChars) flush(false);
      if (timer === undefined && held.includes('\n')) {
        timer = setTimeout(() => {
          flush(false);
        }, intervalMs);
      }
    },
    end: () => {
      flush(true);
    },
    dispose: () => {
      stopTimer();
      held = '';
    },
  };
}
