// One error type for everything the gateway (or the network) can answer with. The message is the
// gateway's own human sentence; `code` lets the UI pick a translated text for the few it knows.
import { isErrorBody } from '@binnacle/contract';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(options: { status: number; code: string; message: string; details?: unknown }) {
    super(options.message);
    this.status = options.status;
    this.code = options.code;
    this.details = options.details;
  }
}

/** Codes the client itself produces (the gateway's codes are HTTP reasons like `Forbidden`). */
export const ClientErrorCode = {
  network: 'NetworkError',
  badResponse: 'BadResponse',
} as const;

/** Maps a failed response to an ApiError, keeping the gateway's message when it sent one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) {
    return new ApiError({
      status: response.status,
      code: body.code,
      message: body.message,
      details: body.details,
    });
  }
  return new ApiError({
    status: response.status,
    code: ClientErrorCode.badResponse,
    message: `The gateway answered ${String(response.status)} ${response.statusText}`.trim(),
  });
}

export function networkError(cause: unknown): ApiError {
  return new ApiError({
    status: 0,
    code: ClientErrorCode.network,
    message: 'The gateway could not be reached.',
    details: cause instanceof Error ? cause.message : undefined,
  });
}
