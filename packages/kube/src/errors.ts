// One error type for everything that goes wrong talking to a cluster. Messages never carry headers,
// tokens, keys or certificates.

/** A Kubernetes `Status` object as the API server returns it. */
export interface Status {
  kind?: 'Status';
  apiVersion?: string;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: StatusDetails;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

/** Transport failures have a reason of their own and code 0. */
export type TransportReason =
  | 'NetworkError'
  | 'TLSError'
  | 'Timeout'
  | 'Aborted'
  | 'ProtocolError'
  | 'InvalidConfig'
  | 'AddressRefused';

export class KubeError extends Error {
  override name = 'KubeError';
  /** HTTP status code, or 0 when the request never got an answer. */
  readonly code: number;
  /** Kubernetes reason (NotFound, Forbidden, Expired, ...) or a transport reason. */
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(init: {
    code: number;
    reason: string;
    message: string;
    details?: StatusDetails;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.reason = init.reason;
    this.details = init.details;
  }

  toJSON(): { code: number; reason: string; message: string; details?: StatusDetails } {
    return {
      code: this.code,
      reason: this.reason,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

const reasonByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as Status).kind === 'Status';
}

/**
 * Builds a KubeError from an HTTP error answer: a Status when the body is one. Any other body is
 * never repeated: a server that does not answer with a Status has not shown that it is an API
 * server, and its page could be anything (an internal service's answer, a login page), so the
 * message only says what was wrong, with `where` (host and path) when given.
 */
export function errorFromResponse(code: number, body: string, where?: string): KubeError {
  let status: Status | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (isStatus(parsed)) status = parsed;
  } catch {
    // not JSON: fall through to a message from the code
  }
  if (status === undefined) {
    const server = where === undefined ? 'the server' : `the server at ${where}`;
    return new KubeError({
      code,
      reason: reasonByCode[code] ?? 'Unknown',
      message: `${server} did not answer like a Kubernetes API server (HTTP ${code})`,
    });
  }
  return new KubeError({
    code: status.code ?? code,
    reason: status.reason ?? reasonByCode[code] ?? 'Unknown',
    message: status.message ?? `the API server answered ${code}`,
    ...(status.details ? { details: status.details } : {}),
  });
}

/** A Status received in a watch or exec stream. */
export function errorFromStatus(status: Status): KubeError {
  const code = status.code ?? 500;
  return new KubeError({
    code,
    reason: status.reason ?? reasonByCode[code] ?? 'Unknown',
    message: status.message ?? `the API server answered ${code}`,
    ...(status.details ? { details: status.details } : {}),
  });
}

const tlsCodes =
  /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL|HOSTNAME_MISMATCH)/;

/** Names a network, TLS or timeout failure; the message says where, never with what credentials. */
export function errorFromTransport(err: unknown, where: string): KubeError {
  if (err instanceof KubeError) return err;
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown };
  const code = e.code ?? (e.cause as { code?: string } | undefined)?.code ?? '';
  if (e.name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') {
    return new KubeError({
      code: 0,
      reason: 'Aborted',
      message: `request to ${where} was aborted`,
    });
  }
  if (/TIMEOUT/.test(code) || e.name === 'TimeoutError') {
    return new KubeError({ code: 0, reason: 'Timeout', message: `request to ${where} timed out` });
  }
  if (tlsCodes.test(code)) {
    return new KubeError({
      code: 0,
      reason: 'TLSError',
      message: `TLS failure talking to ${where} (${code})`,
    });
  }
  const label = code || e.name || 'error';
  return new KubeError({
    code: 0,
    reason: 'NetworkError',
    message: `cannot reach ${where} (${label})`,
  });
}
