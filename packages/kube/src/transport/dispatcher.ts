// The two lanes of one cluster. Request/response calls (get, list, scale, health) share a bounded
// keep-alive pool; long-lived streams (watches, followed logs) get connections of their own, never
// taken from that pool, so however many streams are open a get never waits for a free socket.
// Exec and port-forward go over WebSocket (`ws`), which opens its own socket per session.
import type { ConnectionOptions } from 'node:tls';
import { Agent, buildConnector, ProxyAgent, type Dispatcher } from 'undici';
import type { ClusterConnection } from '../connection.ts';
import { checkedLookup, literalRefusal, type AddressPolicy } from './address-check.ts';

export type Lane = 'request' | 'stream';

export interface LaneOptions {
  /** Connections of the request lane (default 32). */
  connections?: number;
  /**
   * Connections of the stream lane (default unbounded: what may open a stream is bounded by its
   * owner, the gateway's informer and socket limits, and a bound here would only make them queue).
   */
  streamConnections?: number;
  /**
   * Speak HTTP/2 where the server offers it (ALPN). Off by default: measured against the API
   * server, two HTTP/1.1 lanes kept gets faster under many watches (see bench/kube/lanes.ts).
   */
  http2?: boolean;
  /** Every address checked before a socket connects (both lanes), so DNS rebinding fails. */
  addressPolicy?: AddressPolicy;
}

export interface Lanes {
  request: Dispatcher;
  stream: Dispatcher;
  close(): Promise<void>;
}

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

function dispatcher(
  conn: ClusterConnection,
  options: {
    connections: number | null;
    http2: boolean;
    keepAliveTimeout: number;
    addressPolicy: AddressPolicy | undefined;
  },
): Dispatcher {
  const common = {
    connections: options.connections,
    keepAliveTimeout: options.keepAliveTimeout,
    keepAliveMaxTimeout: 300_000,
    ...(options.http2 ? { allowH2: true } : {}),
  };
  return conn.proxyUrl
    ? new ProxyAgent({ uri: conn.proxyUrl, requestTls: tlsOptions(conn), ...common })
    : new Agent({
        connect: clusterConnector(conn, options.addressPolicy, { allowH2: options.http2 }),
        ...common,
      });
}

/** Both lanes of a cluster, from the same TLS options and proxy. */
export function createLanes(conn: ClusterConnection, options: LaneOptions = {}): Lanes {
  const http2 = options.http2 === true;
  const request = dispatcher(conn, {
    connections: options.connections ?? 32,
    http2,
    keepAliveTimeout: 30_000,
    addressPolicy: options.addressPolicy,
  });
  const stream = dispatcher(conn, {
    connections: options.streamConnections ?? null,
    http2,
    keepAliveTimeout: 4_000,
    addressPolicy: options.addressPolicy,
  });
  return {
    request,
    stream,
    close: async () => {
      await Promise.all([request.destroy(), stream.destroy()]);
    },
  };
}
