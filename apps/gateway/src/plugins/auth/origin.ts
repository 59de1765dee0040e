// The Origin check of WebSocket upgrades: a page on another site must not open a socket that rides
// on the person's credentials.

export interface OriginRequest {
  origin: string | undefined;
  /** The request's own scheme (`http` or `https`; behind a proxy only with trustProxy set). */
  protocol: string;
  /** The request's own host, with the port when there is one. */
  host: string;
}

/**
 * True for no Origin (not a browser, so no page can be behind it), for the gateway's own origin,
 * and for an allowed one; false for any other, including `null`.
 */
export function originAllowed(request: OriginRequest, allowed: ReadonlySet<string>): boolean {
  const { origin } = request;
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  // Browsers send the serialised origin exactly; anything else (a path, `null`) is not one.
  const normalised = parsed.origin;
  if (normalised === 'null' || normalised !== origin) return false;
  if (allowed.has(normalised)) return true;
  let own: string;
  try {
    own = new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return false;
  }
  return normalised === own;
}
