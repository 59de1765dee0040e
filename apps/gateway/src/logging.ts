// What a request looks like in the log: Fastify's usual fields, with the query parameters that
// carry credentials (WebSocket tickets, tokens, OIDC codes) censored.
import type { FastifyRequest } from 'fastify';

const secretParams: ReadonlySet<string> = new Set([
  'ticket',
  'token',
  'access_token',
  'code',
  'state',
]);

/** The URL with the values of credential-bearing query parameters replaced by `[redacted]`. */
export function redactedUrl(url: string): string {
  const question = url.indexOf('?');
  if (question === -1) return url;
  const query = url
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = decodeURIComponentSafe(equals === -1 ? pair : pair.slice(0, equals));
      return equals !== -1 && secretParams.has(name) ? `${pair.slice(0, equals)}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, question)}?${query}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The X-Request-Id a caller sent, when it is well-formed: kept beside the gateway's own request id
 * (never instead of it), so that a caller's tracing can be followed without trusting it.
 */
export function clientRequestId(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : undefined;
}

/** For audit rows: the gateway's request id, and the caller's beside it when one was sent. */
export function requestIds(request: Pick<FastifyRequest, 'headers' | 'id'>): {
  requestId: string;
  clientRequestId?: string;
} {
  const clientId = clientRequestId(request);
  return {
    requestId: request.id,
    ...(clientId !== undefined ? { clientRequestId: clientId } : {}),
  };
}

export function requestSerializer(request: FastifyRequest) {
  const clientId = clientRequestId(request);
  return {
    method: request.method,
    url: redactedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket.remotePort,
    ...(clientId !== undefined ? { clientRequestId: clientId } : {}),
  };
}
