// Ages the way kubectl prints them: the largest unit, then the next one while it is still short.

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/** "45s", "5m", "3h12m", "2d", "400d"; "" for a missing or unreadable time. */
export function formatAge(timestamp: string | null | undefined, now: number = Date.now()): string {
  if (timestamp == null || timestamp === '') return '';
  const then = Date.parse(timestamp);
  if (Number.isNaN(then)) return '';
  const ms = Math.max(0, now - then);
  if (ms < minute) return `${String(Math.floor(ms / second))}s`;
  if (ms < 10 * minute) {
    const seconds = Math.floor((ms % minute) / second);
    return `${String(Math.floor(ms / minute))}m${seconds > 0 ? `${String(seconds)}s` : ''}`;
  }
  if (ms < hour) return `${String(Math.floor(ms / minute))}m`;
  if (ms < 8 * hour) {
    const minutes = Math.floor((ms % hour) / minute);
    return `${String(Math.floor(ms / hour))}h${minutes > 0 ? `${String(minutes)}m` : ''}`;
  }
  if (ms < 2 * day) return `${String(Math.floor(ms / hour))}h`;
  if (ms < 8 * day) {
    const hours = Math.floor((ms % day) / hour);
    return `${String(Math.floor(ms / day))}d${hours > 0 ? `${String(hours)}h` : ''}`;
  }
  return `${String(Math.floor(ms / day))}d`;
}
