// The error a handler throws on purpose; the errors plugin answers it in the one error shape.

/** An error a handler throws on purpose, with the HTTP status and a message for people. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly statusCode: number;
  readonly code: string;
  readonly details: unknown;

  constructor(statusCode: number, code: string, message: string, details?: unknown) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
  }
}
