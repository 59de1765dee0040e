// The error a handler throws on purpose; the errors plugin answers it in the one error shape.
// Named constructors say what went wrong (`HttpError.notFound('…')`); a code other than the
// status's usual one (`TooManyInformers`, `Locked`) is given by name too.

/** What a named constructor may add to the message: a more precise code, and details. */
export interface HttpErrorExtra {
  code?: string;
  details?: unknown;
}

/** Every field of an error, for statuses that come from elsewhere (a Kubernetes refusal). */
export interface HttpErrorInit extends HttpErrorExtra {
  status: number;
  code: string;
  message: string;
}

/** An error a handler throws on purpose, with the HTTP status and a message for people. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly statusCode: number;
  readonly code: string;
  readonly details: unknown;

  private constructor(init: HttpErrorInit) {
    super(init.message);
    this.statusCode = init.status;
    this.code = init.code;
    this.details = init.details;
  }

  static of(init: HttpErrorInit): HttpError {
    return new HttpError(init);
  }

  static badRequest(message: string, extra?: HttpErrorExtra): HttpError {
    return named(400, 'BadRequest', message, extra);
  }
  static unauthorized(message: string, extra?: HttpErrorExtra): HttpError {
    return named(401, 'Unauthorized', message, extra);
  }
  static forbidden(message: string, extra?: HttpErrorExtra): HttpError {
    return named(403, 'Forbidden', message, extra);
  }
  static notFound(message: string, extra?: HttpErrorExtra): HttpError {
    return named(404, 'NotFound', message, extra);
  }
  static conflict(message: string, extra?: HttpErrorExtra): HttpError {
    return named(409, 'Conflict', message, extra);
  }
  static gone(message: string, extra?: HttpErrorExtra): HttpError {
    return named(410, 'Gone', message, extra);
  }
  static payloadTooLarge(message: string, extra?: HttpErrorExtra): HttpError {
    return named(413, 'PayloadTooLarge', message, extra);
  }
  static locked(message: string, extra?: HttpErrorExtra): HttpError {
    return named(423, 'Locked', message, extra);
  }
  static tooManyRequests(message: string, extra?: HttpErrorExtra): HttpError {
    return named(429, 'TooManyRequests', message, extra);
  }
  static badGateway(message: string, extra?: HttpErrorExtra): HttpError {
    return named(502, 'BadGateway', message, extra);
  }
  static unavailable(message: string, extra?: HttpErrorExtra): HttpError {
    return named(503, 'Unavailable', message, extra);
  }
  static gatewayTimeout(message: string, extra?: HttpErrorExtra): HttpError {
    return named(504, 'Timeout', message, extra);
  }
}

function named(status: number, code: string, message: string, extra?: HttpErrorExtra): HttpError {
  return HttpError.of({ status, code: extra?.code ?? code, message, details: extra?.details });
}
