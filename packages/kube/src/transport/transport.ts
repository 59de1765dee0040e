// One keep-alive connection pool per cluster, with the cluster's TLS and credentials. Every request
// takes an AbortSignal and a timeout; failures become KubeErrors that never carry credentials.
import type { ConnectionOptions } from 'node:tls';
import { Agent, buildConnector, ProxyAgent, request, type Dispatcher } from 'undici';
import type { ClusterConnection, Impersonation } from '../connection.ts';
import { errorFromResponse, errorFromTransport, KubeError } from '../errors.ts';
import { checkedLookup, literalRefusal, type AddressPolicy } from './address-check.ts';
import { authHeaders, withoutImpersonation } from './headers.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  method?: Method;
  /** Path below the server URL, e.g. /api/v1/namespaces/demo/pods. */
  path: string;
  query?: Record<string, QueryValue | readonly string[]>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Time allowed until the response headers arrive (default: the transport's). */
  timeoutMs?: number;
  /** Time allowed between two body chunks; 0 for streams that may be quiet (watch, logs -f). */
  bodyTimeoutMs?: number;
  /** Act as this person for this request (see `KubeClient.as`). */
  impersonate?: Impersonation;
}

export interface RawResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

export interface TransportOptions {
  /** Default time until response headers (ms). */
  timeoutMs?: number;
  userAgent?: string;
  /** Connections kept per origin. */
  connections?: number;
  /**
   * Told of every request once its answer's headers arrive (or it failed: status 0), for latency
   * metrics. Must not throw.
   */
  onResponse?: (observed: { method: Method; status: number; seconds: number }) => void;
  /**
   * Where connections may go: checked on every connection, after DNS resolution (so a name that
   * resolves elsewhere the second time is refused too). Absent allows every address.
   */
  addressPolicy?: AddressPolicy;
}

/** Longest error body read into memory to build a KubeError. */
const maxErrorBody = 64 * 1024;

export function tlsOptions(conn: ClusterConnection): ConnectionOptions {
  return {
    ...(conn.ca !== undefined ? { ca: conn.ca } : {}),
    ...(conn.cert !== undefined ? { cert: conn.cert } : {}),
    ...(conn.key !== undefined ? { key: conn.key } : {}),
    ...(conn.tlsServerName !== undefined ? { servername: conn.tlsServerName } : {}),
    rejectUnauthorized: conn.insecureSkipTlsVerify !== true,
  };
}

/** The scheme a cluster's server URL uses, as the address check is told it. */
export function serverProtocol(server: string): 'http:' | 'https:' {
  return new URL(server).protocol === 'http:' ? 'http:' : 'https:';
}

/**
 * undici's `connect` for one cluster: its TLS options, and with a policy, every address checked
 * before the socket connects (IP literals here, names in the socket's lookup).
 */
export function clusterConnector(
  conn: ClusterConnection,
  policy: AddressPolicy | undefined,
  options: { allowH2?: boolean } = {},
): buildConnector.connector | ConnectionOptions {
  if (policy === undefined) return tlsOptions(conn);
  const protocol = serverProtocol(conn.server);
  // a connect function replaces the dispatcher's own connector, so it offers HTTP/2 itself
  const connect = buildConnector({
    ...tlsOptions(conn),
    ...(options.allowH2 === true ? { allowH2: true } : {}),
    lookup: checkedLookup(policy, protocol),
  });
  return (options, callback) => {
    const refused = literalRefusal(policy, { hostname: options.hostname, protocol });
    if (refused !== undefined) {
      callback(refused, null);
      return;
    }
    connect(options, callback);
  };
}

export function buildUrl(server: string, path: string, query?: RequestOptions['query']): URL {
  const url = new URL(server.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value))
      for (const v of value as readonly string[]) url.searchParams.append(key, v);
    else url.searchParams.set(key, String(value));
  }
  return url;
}

export class Transport {
  readonly server: string;
  readonly #conn: ClusterConnection;
  readonly #dispatcher: Dispatcher;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #onResponse: TransportOptions['onResponse'];
  readonly #addressPolicy: AddressPolicy | undefined;
  #closed = false;

  constructor(conn: ClusterConnection, options: TransportOptions = {}) {
    let origin: URL;
    try {
      origin = new URL(conn.server);
    } catch {
      throw new KubeError({
        code: 0,
        reason: 'InvalidConfig',
        message: 'the cluster server is not a valid URL',
      });
    }
    this.server = origin.origin + origin.pathname.replace(/\/+$/, '');
    this.#conn = conn;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#userAgent = options.userAgent ?? 'binnacle';
    this.#onResponse = options.onResponse;
    this.#addressPolicy = options.addressPolicy;
    if (conn.proxyUrl && options.addressPolicy) {
      // the proxy would choose the address, out of the check's sight
      throw new KubeError({
        code: 0,
        reason: 'InvalidConfig',
        message: 'a cluster whose addresses are checked cannot be reached through a proxy-url',
      });
    }
    const common = {
      connections: options.connections ?? 32,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 300_000,
    };
    this.#dispatcher = conn.proxyUrl
      ? new ProxyAgent({ uri: conn.proxyUrl, requestTls: tlsOptions(conn), ...common })
      : new Agent({ connect: clusterConnector(conn, options.addressPolicy), ...common });
  }

  get connection(): ClusterConnection {
    return this.#conn;
  }

  /** The address policy every connection of this cluster follows (streams' sockets too). */
  get addressPolicy(): AddressPolicy | undefined {
    return this.#addressPolicy;
  }

  /**
   * Headers every request to this cluster carries: auth, impersonation, user agent. `impersonate`
   * replaces the connection's own impersonation for one request (a person acting through a shared
   * credential).
   */
  async baseHeaders(impersonate?: Impersonation): Promise<Record<string, string | string[]>> {
    const conn = impersonate ? { ...this.#conn, impersonate } : this.#conn;
    return { 'user-agent': this.#userAgent, ...(await authHeaders(conn)) };
  }

  /**
   * Sends a request and returns the response with its body unread (for streaming). A non-2xx
   * answer is read (bounded) and thrown as a KubeError.
   */
  async raw(options: RequestOptions): Promise<RawResponse> {
    if (this.#closed)
      throw new KubeError({ code: 0, reason: 'Aborted', message: 'the cluster client is closed' });
    const url = buildUrl(this.server, options.path, options.query);
    const where = `${url.host}${options.path}`;
    const headers: Record<string, string | string[]> = {
      ...withoutImpersonation(options.headers),
      ...(await this.baseHeaders(options.impersonate)),
      accept: options.accept ?? 'application/json',
    };
    if (options.body !== undefined)
      headers['content-type'] = options.contentType ?? 'application/json';
    let res: Dispatcher.ResponseData;
    const method = options.method ?? 'GET';
    const started = performance.now();
    try {
      res = await request(url, {
        method,
        headers,
        body: options.body ?? null,
        signal: options.signal ?? null,
        dispatcher: this.#dispatcher,
        headersTimeout: options.timeoutMs ?? this.#timeoutMs,
        bodyTimeout: options.bodyTimeoutMs ?? options.timeoutMs ?? this.#timeoutMs,
      });
    } catch (err) {
      this.#observe(method, 0, started);
      throw errorFromTransport(err, where);
    }
    this.#observe(method, res.statusCode, started);
    if (res.statusCode >= 200 && res.statusCode < 300) {
      return { statusCode: res.statusCode, headers: res.headers, body: res.body };
    }
    throw errorFromResponse(res.statusCode, await readBounded(res.body, maxErrorBody), where);
  }

  /** Sends a request and parses the JSON answer. */
  async json<T>(options: RequestOptions): Promise<T> {
    const res = await this.raw(options);
    const where = `${new URL(this.server).host}${options.path}`;
    try {
      return (await res.body.json()) as T;
    } catch (err) {
      if (err instanceof SyntaxError) {
        throw new KubeError({
          code: 0,
          reason: 'ProtocolError',
          message: `the answer of ${where} is not JSON`,
        });
      }
      throw errorFromTransport(err, where);
    }
  }

  #observe(method: Method, status: number, started: number): void {
    this.#onResponse?.({ method, status, seconds: (performance.now() - started) / 1000 });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#dispatcher.destroy();
  }
}

async function readBounded(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    // a body cut short still gives us what arrived
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, limit);
}
