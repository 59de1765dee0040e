// One watch connection: events parsed line by line as they stream in. Resuming, relisting and
// backoff belong to the informer; this only reads one stream until it ends or fails.
import type { KubeClient } from '../client.ts';
import { errorFromStatus, errorFromTransport, KubeError, type Status } from '../errors.ts';
import { resourcePath, type ResourceType } from '../resource.ts';
import type { KubeObject } from '../types.ts';
import { splitLines } from '../streams/lines.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this version; '' or absent means "from now" (or the initial state, see below). */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Streaming list: the current state arrives as ADDED events, ended by a bookmark. */
  sendInitialEvents?: boolean;
  /** Ask the server to end the watch after this long (it then ends normally). */
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

/** The bookmark annotation that ends the initial events of a streaming list. */
export const initialEventsEnd = 'k8s.io/initial-events-end';

const maxEventBytes = 64 * 1024 * 1024;

/** Streams the events of one watch request. A server-sent ERROR becomes a thrown KubeError. */
export async function* watch<T extends KubeObject = KubeObject>(
  client: KubeClient,
  type: ResourceType,
  options: WatchOptions = {},
): AsyncGenerator<WatchEvent<T>> {
  const streaming = options.sendInitialEvents === true;
  const path = resourcePath(
    type,
    type.namespaced && options.namespace !== undefined ? { namespace: options.namespace } : {},
  );
  const res = await client.raw({
    path,
    query: {
      watch: 1,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      resourceVersion: options.resourceVersion,
      allowWatchBookmarks: options.allowWatchBookmarks ?? true,
      sendInitialEvents: streaming ? true : undefined,
      resourceVersionMatch: streaming ? 'NotOlderThan' : undefined,
      timeoutSeconds: options.timeoutSeconds,
    },
    ...(options.signal ? { signal: options.signal } : {}),
    // A quiet watch is healthy; the server's timeoutSeconds and bookmarks bound it instead.
    bodyTimeoutMs: 0,
    // never one of the request pool's connections, however many watches run
    lane: 'stream',
  });
  try {
    for await (const line of splitLines(res.body as AsyncIterable<Buffer>, {
      maxLineBytes: maxEventBytes,
    })) {
      // A longer event arrives in pieces, and a piece is not JSON: parseEvent says so.
      if (line.trim() !== '') yield parseEvent<T>(line);
    }
  } catch (err) {
    if (err instanceof KubeError) throw err;
    throw errorFromTransport(err, path);
  } finally {
    // Leaving early (break, return, abort) must release the socket.
    if (!res.body.destroyed) res.body.destroy();
  }
}

function parseEvent<T extends KubeObject>(line: string): WatchEvent<T> {
  let event: { type?: string; object?: unknown };
  try {
    event = JSON.parse(line) as { type?: string; object?: unknown };
  } catch {
    throw new KubeError({
      code: 0,
      reason: 'ProtocolError',
      message: 'a watch event is not valid JSON',
    });
  }
  if (event.type === 'ERROR') throw errorFromStatus(asStatus(event.object));
  if (
    (event.type === 'ADDED' ||
      event.type === 'MODIFIED' ||
      event.type === 'DELETED' ||
      event.type === 'BOOKMARK') &&
    typeof event.object === 'object' &&
    event.object !== null
  ) {
    return { type: event.type, object: event.object as T };
  }
  throw new KubeError({
    code: 0,
    reason: 'ProtocolError',
    message: `unexpected watch event type ${String(event.type)}`,
  });
}

function asStatus(value: unknown): Status {
  return typeof value === 'object' && value !== null ? value : {};
}
