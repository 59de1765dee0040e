// The one revocation event: what changed, and whom or what it concerns. Small on purpose: it
// names ids, never a whole record, so that it fits a PostgreSQL NOTIFY (under 8000 bytes) and
// every replica decides from the store what still holds.

export const revocationCauses = [
  'user-disabled',
  'signed-out',
  'session-revoked',
  'token-revoked',
  'groups-changed',
  'roles-changed',
  'binding-changed',
  'cluster-deleted',
  'cluster-changed',
] as const;

export type RevocationCause = (typeof revocationCauses)[number];

export interface RevocationEvent {
  cause: RevocationCause;
  /** The person concerned; none for a change that may concern anyone (a role's rules). */
  userId?: string;
  /** The session family that ended. */
  sessionId?: string;
  /** The personal access token that was revoked. */
  tokenId?: string;
  /** The cluster that was changed or deleted. */
  clusterId?: string;
  /** Who made the change (a username), for the audit record. */
  by?: string;
}

/** NOTIFY payloads must stay below 8000 bytes; ours are ids, far below this. */
export const maxPayloadBytes = 4000;
const idPattern = /^[\w.:@-]{1,200}$/;

/** The wire form between replicas: the event and the replica that raised it. */
export function encodeEvent(event: RevocationEvent, origin: string): string {
  const payload = JSON.stringify({ ...event, origin });
  if (Buffer.byteLength(payload) > maxPayloadBytes) {
    throw new Error(`a revocation event of ${String(Buffer.byteLength(payload))} bytes is too big`);
  }
  return payload;
}

/** The event in a payload, or undefined for one that is not well formed. */
export function decodeEvent(
  payload: string,
): { event: RevocationEvent; origin: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const field = (key: string): string | undefined => {
    const value: unknown = Reflect.get(parsed, key);
    return typeof value === 'string' && idPattern.test(value) ? value : undefined;
  };
  const cause = revocationCauses.find((c) => c === Reflect.get(parsed, 'cause'));
  const origin = field('origin');
  if (cause === undefined || origin === undefined) return undefined;
  const event: RevocationEvent = { cause };
  for (const key of ['userId', 'sessionId', 'tokenId', 'clusterId'] as const) {
    const value = field(key);
    if (value !== undefined) event[key] = value;
  }
  // a username, which may hold more than id characters
  const by: unknown = Reflect.get(parsed, 'by');
  if (typeof by === 'string' && by !== '' && by.length <= 256) event.by = by;
  return { event, origin };
}
