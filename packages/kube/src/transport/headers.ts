import type { ClusterConnection } from '../connection.ts';

/** Auth and impersonation headers for one request; token sources are asked each time. */
export async function authHeaders(
  conn: ClusterConnection,
): Promise<Record<string, string | string[]>> {
  const headers: Record<string, string | string[]> = {};
  if (conn.token !== undefined) {
    const token = typeof conn.token === 'string' ? conn.token : await conn.token();
    headers.authorization = `Bearer ${token}`;
  } else if (conn.username !== undefined && conn.password !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${conn.username}:${conn.password}`).toString('base64')}`;
  }
  const imp = conn.impersonate;
  if (imp) {
    headers['impersonate-user'] = imp.user;
    if (imp.uid !== undefined) headers['impersonate-uid'] = imp.uid;
    if (imp.groups && imp.groups.length > 0) headers['impersonate-group'] = [...imp.groups];
    for (const [key, values] of Object.entries(imp.extra ?? {})) {
      // Header names are case-insensitive, so extra keys travel percent-encoded (as kubectl does).
      headers[`impersonate-extra-${encodeURIComponent(key)}`] = [...values];
    }
  }
  return headers;
}

/** Drops Impersonate-* headers a caller tried to pass through. */
export function withoutImpersonation(
  headers: Record<string, string | string[]> | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (!key.toLowerCase().startsWith('impersonate-')) out[key] = value;
  }
  return out;
}
