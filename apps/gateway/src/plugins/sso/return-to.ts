// Where a person lands after signing in: only a path on our own origin, so a link cannot send them
// to another site (an open redirect).

export const defaultReturnTo = '/k8s/';

/** `value` when it is a same-origin path ("/…", never "//…" or "/\…"), otherwise the default. */
export function safeReturnTo(value: string | undefined): string {
  if (value === undefined || value.length > 2048) return defaultReturnTo;
  if (!value.startsWith('/') || /^\/[/\\]/.test(value) || /[\u0000-\u001f\u007f\\]/.test(value)) {
    return defaultReturnTo;
  }
  const base = 'https://binnacle.invalid';
  const parsed = new URL(value, base);
  return parsed.origin === base
    ? `${parsed.pathname}${parsed.search}${parsed.hash}`
    : defaultReturnTo;
}
