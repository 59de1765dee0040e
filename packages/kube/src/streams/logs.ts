// Container logs as a streamed GET: the response body is handed over unparsed, or split into lines.
import type { Readable } from 'node:stream';
import type { KubeClient } from '../client.ts';
import { errorFromTransport } from '../errors.ts';
import { core, resourcePath } from '../resource.ts';
import { splitLines } from './lines.ts';

export interface LogOptions {
  namespace: string;
  pod: string;
  /** The pod's only (or default) container when absent. */
  container?: string;
  /** Keep the stream open and send new lines as they are written. */
  follow?: boolean;
  /** The previous (terminated) instance of the container. */
  previous?: boolean;
  /** Prefix each line with its RFC 3339 timestamp. */
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339 time, or a Date. */
  sinceTime?: string | Date;
  limitBytes?: number;
  signal?: AbortSignal;
}

export interface LogLinesOptions extends LogOptions {
  /** A longer line is yielded in pieces of this many bytes (default 1 MiB). */
  maxLineBytes?: number;
}

function logPath(options: LogOptions): string {
  return resourcePath(core.pods, {
    namespace: options.namespace,
    name: options.pod,
    subresource: 'log',
  });
}

/**
 * Opens the log stream. Destroying the returned stream, or aborting the signal, ends the request
 * and releases its socket; after an abort the stream fails with an AbortError.
 */
export async function logs(client: KubeClient, options: LogOptions): Promise<Readable> {
  const sinceTime =
    options.sinceTime instanceof Date ? options.sinceTime.toISOString() : options.sinceTime;
  const res = await client.raw({
    path: logPath(options),
    query: {
      container: options.container,
      follow: options.follow || undefined,
      previous: options.previous || undefined,
      timestamps: options.timestamps || undefined,
      tailLines: options.tailLines,
      sinceSeconds: options.sinceSeconds,
      sinceTime,
      limitBytes: options.limitBytes,
    },
    accept: '*/*',
    // a followed container may be quiet for hours; the signal ends the stream instead, and it
    // holds a connection of the stream lane, never one a get or a scale waits for
    ...(options.follow ? { bodyTimeoutMs: 0, lane: 'stream' as const } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return res.body;
}

/** The log as lines, read as they arrive; breaking out of the loop releases the socket. */
export async function* logLines(
  client: KubeClient,
  options: LogLinesOptions,
): AsyncGenerator<string> {
  const body = await logs(client, options);
  try {
    yield* splitLines(
      body,
      options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {},
    );
  } catch (err) {
    throw errorFromTransport(err, `${new URL(client.transport.server).host}${logPath(options)}`);
  } finally {
    body.destroy();
  }
}
