// WebSocket URLs. Each needs a fresh single-use ticket, so these take one and build the URL;
// components never assemble them.
import { livePath, streamPaths } from '@binnacle/contract';
import { ticketApi } from './auth';
import { withQuery, type Http, type QueryValue } from './request';

function absolute(path: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}${path}`;
}

async function socketUrl(http: Http, path: string, query: Record<string, QueryValue> = {}) {
  const { ticket } = await ticketApi(http);
  return absolute(withQuery(path, { ...query, ticket }));
}

export function liveSocketUrl(http: Http): Promise<string> {
  return socketUrl(http, livePath);
}

export interface PodRef {
  cluster: string;
  namespace: string;
  pod: string;
}

export interface LogsOptions {
  container?: string;
  follow: boolean;
  tailLines?: number;
  timestamps: boolean;
}

export function logsSocketUrl(http: Http, pod: PodRef, options: LogsOptions): Promise<string> {
  return socketUrl(http, streamPaths.logs(pod.cluster, pod.namespace, pod.pod), {
    container: options.container,
    follow: options.follow,
    tailLines: options.tailLines,
    timestamps: options.timestamps,
  });
}

export function execSocketUrl(
  http: Http,
  pod: PodRef,
  options: { container?: string; cols: number; rows: number },
): Promise<string> {
  return socketUrl(http, streamPaths.exec(pod.cluster, pod.namespace, pod.pod), options);
}
