// The one way the portal talks to the gateway: JSON in, JSON out, errors in the gateway's one shape
// ({ code, message }) turned into an ApiError a page can show as it is.
import { isErrorBody } from '@binnacle/contract';

/** Where the gateway's API lives, on the portal's own origin (nginx or the gateway serves both). */
export const apiBase = '/k8s-api/v1';

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    // not JSON (a proxy's error page): the status says enough
  }
  return isErrorBody(body)
    ? new ApiError(response.status, body.code, body.message)
    : new ApiError(
        response.status,
        `Http${response.status}`,
        `The gateway answered ${response.status}.`,
      );
}

export async function request<T>(
  path: string,
  options: { method?: string; body?: unknown; token?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // Fastify refuses an empty body sent as JSON, so the type goes only with a body.
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${apiBase}${path}`, {
    method: options.method ?? 'GET',
    headers,
    // the refresh cookie lives on this origin, under /k8s-api/v1/auth
    credentials: 'same-origin',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
