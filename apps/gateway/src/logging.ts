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

export function requestSerializer(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket.remotePort,
  };
}
