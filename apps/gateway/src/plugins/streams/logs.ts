// A pod's log over a WebSocket: `started {container}`, then `data` batches of whole lines, then
// `end` and close 1000 when the log ends; `error` and close 1011 when it cannot be read. The
// upstream request pauses while the browser is behind and is aborted when the browser leaves.
import { CloseCode, StreamType, type LogsQuery } from '@binnacle/contract';
import { KubeError, logs, type KubeClient } from '@binnacle/kube';
import type { Readable } from 'node:stream';
import { lineBatcher } from './batch.js';
import type { StreamContext } from './context.js';
import { failureOf, StreamError } from './failures.js';
import { chooseContainer, readPod } from './pod.js';

/** Serves the socket; resolves once the upstream request has ended. */
export function streamLogs(ctx: StreamContext, query: LogsQuery): Promise<void> {
  // The browser has nothing to say on a log socket; what it sends is counted and ignored.
  ctx.socket.on('message', () => {
    ctx.received();
  });
  return serveLogs(ctx, query);
}

async function serveLogs(ctx: StreamContext, query: LogsQuery): Promise<void> {
  const { params, signal, out } = ctx;
  let container: string | undefined;
  let chars = 0;
  try {
    const client = await ctx.app.clusters.clientFor(params.cluster, ctx.user);
    const pod = await readPod(client, { namespace: params.namespace, name: params.name, signal });
    container = chooseContainer(pod, query.container);
    const body = await openLog(ctx, { client, query, container });
    ctx.metrics.opened('logs');
    body.once('close', () => {
      ctx.metrics.closed('logs');
    });
    out.send({ type: StreamType.started, container });
    ctx.audit.started({
      container,
      follow: query.follow === true,
      previous: query.previous === true,
      tailLines: query.tailLines ?? null,
    });
    chars = await relay(ctx, body);
    out.send({ type: StreamType.end });
    out.close(CloseCode.normal, 'The log ended.');
    ctx.audit.ended('success', { container, chars });
  } catch (err) {
    if (signal.aborted) {
      ctx.audit.ended('success', { container, chars, closeCode: ctx.closeCode() ?? null });
      return;
    }
    const failure = failureOf(err, { what: 'logs', log: ctx.request.log });
    out.fail(failure);
    ctx.audit.ended('failure', { container, error: failure.message });
  }
}

async function openLog(
  ctx: StreamContext,
  options: { client: KubeClient; query: LogsQuery; container: string },
): Promise<Readable> {
  const { client, query, container } = options;
  try {
    const body = await logs(client, {
      namespace: ctx.params.namespace,
      pod: ctx.params.name,
      container,
      follow: query.follow === true,
      previous: query.previous === true,
      timestamps: query.timestamps === true,
      ...(query.tailLines !== undefined ? { tailLines: query.tailLines } : {}),
      signal: ctx.signal,
    });
    // An abort may fail the body before relay() listens; relay() then finds it destroyed.
    body.on('error', () => undefined);
    return body;
  } catch (err) {
    if (isBadRequest(err) && /previous terminated container/.test(err.message)) {
      throw new StreamError(
        'PreviousNotFound',
        `Container "${container}" has no previous instance to show: it has not restarted, or its old log is gone.`,
      );
    }
    if (isBadRequest(err)) {
      // "container "x" in pod "y" is waiting to start: ContainerCreating", and the like
      throw new StreamError('NotReady', `The log cannot be read yet: ${err.message}`);
    }
    throw err;
  }
}

function isBadRequest(err: unknown): err is KubeError {
  return err instanceof KubeError && err.code === 400;
}

/** Passes the log on until it ends; returns how many characters went out. */
function relay(ctx: StreamContext, body: Readable): Promise<number> {
  const { out } = ctx;
  let chars = 0;
  const decoder = new TextDecoder();
  const batcher = lineBatcher({
    send: (data) => {
      chars += data.length;
      if (!out.send({ type: StreamType.data, data })) {
        body.pause();
        out.whenDrained(() => body.resume());
      }
    },
  });
  return new Promise<number>((resolve, reject) => {
    if (body.destroyed) {
      reject(body.errored ?? new Error('the log stream closed before it was read'));
      return;
    }
    body.on('data', (chunk: Buffer) => {
      batcher.write(decoder.decode(chunk, { stream: true }));
    });
    body.once('end', () => {
      batcher.write(decoder.decode());
      batcher.end();
      resolve(chars);
    });
    body.once('error', (err) => {
      batcher.dispose();
      reject(err);
    });
  });
}
