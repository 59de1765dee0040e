// The one request function. The chain reads top to bottom: token → JSON → error mapping →
// one renewal and retry on 401 → give up (the session ends).
import { ApiError, errorFromResponse, networkError } from './errors';

/** Where access tokens come from: the host's `getToken`, or the standalone session. */
export interface TokenSource {
  /** The token to send now; may refresh one that is about to expire. */
  token(): Promise<string | undefined>;
  /** Called after a 401: a fresh token, or undefined when there is none. */
  renew(): Promise<string | undefined>;
  /** The session cannot be recovered (a 401 that a fresh token did not fix). */
  expired(): void;
}

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** False for the sign-in endpoints, which must not recurse into a refresh. */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface Http {
  request<T>(options: RequestOptions): Promise<T>;
}

export function withQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

export function createHttp(options: { tokens?: TokenSource; fetch?: typeof fetch } = {}): Http {
  const { tokens } = options;
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function send(request: RequestOptions, token: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await doFetch(withQuery(request.path, request.query), {
        method: request.method ?? 'GET',
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        credentials: 'same-origin',
        signal: request.signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw networkError(err);
    }
  }

  async function parse<T>(response: Response): Promise<T> {
    if (!response.ok) throw await errorFromResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  return {
    async request<T>(request: RequestOptions): Promise<T> {
      const useAuth = request.auth !== false && tokens !== undefined;
      const response = await send(request, useAuth ? await tokens.token() : undefined);
      if (response.status !== 401 || !useAuth) return parse<T>(response);

      const fresh = await tokens.renew().catch(() => undefined);
      if (fresh === undefined) {
        tokens.expired();
        throw await errorFromResponse(response);
      }
      const retried = await send(request, fresh);
      if (retried.status === 401) tokens.expired();
      return parse<T>(retried);
    },
  };
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
