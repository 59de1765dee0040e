// One exec in the pod: output to the browser (decoded as UTF-8 across chunk boundaries, paused
// while the browser is behind) until the command ends. A shell tried on the chance that the image
// has it is "on probation": its output is held back while it only looks like "not found", and
// it is accepted (`started` sent, input let through) on its first other output or after
// `probeMs`. A shell that fails on probation is reported as missing, and the next one is tried.
import { StreamType } from '@binnacle/contract';
import { exec, type ExecSession, type KubeClient } from '@binnacle/kube';
import type { Readable } from 'node:stream';
import type { StreamContext } from './context.js';
import {
  execOutcome,
  isMissingProgram,
  looksLikeMissingProgram,
  type ExecOutcome,
} from './shell.js';

export interface AttemptOptions {
  client: KubeClient;
  container: string;
  command: string[];
  tty: boolean;
  /** A shell that might not be in the image. */
  probe: boolean;
  probeMs: number;
  /** The session opened (resizes go to it, on probation or not). */
  onSession: (session: ExecSession) => void;
  /** The session may take input (stdin, resize) from the browser; `started` has been sent. */
  accept: (session: ExecSession) => void;
  /** Output went either way (for the idle timeout). */
  activity: () => void;
}

export type AttemptResult = { kind: 'missing' } | ExecOutcome;

type OutputType = typeof StreamType.stdout | typeof StreamType.stderr;

export async function attempt(ctx: StreamContext, options: AttemptOptions): Promise<AttemptResult> {
  const { params, out, signal } = ctx;
  let session: ExecSession;
  try {
    session = await exec(options.client, {
      namespace: params.namespace,
      pod: params.name,
      container: options.container,
      command: options.command,
      stdin: true,
      tty: options.tty,
      signal,
    });
  } catch (error) {
    const failed: ExecOutcome = { kind: 'failed', error };
    return options.probe && isMissingProgram(failed, '') ? { kind: 'missing' } : failed;
  }
  ctx.metrics.opened('exec');
  options.onSession(session);
  session.stdin.on('error', (err) => {
    ctx.request.log.debug({ err }, 'exec stdin failed');
  });

  // Changed by the callbacks below, so kept in one object.
  const state = { probing: options.probe, accepted: false };
  let held: { type: OutputType; data: string }[] = [];
  const heldText = (): string => held.map((item) => item.data).join('');

  const outputs = [session.stdout, session.stderr];
  const forward = (type: OutputType, data: string): void => {
    if (out.send({ type, data }) || !out.open) return;
    for (const stream of outputs) stream.pause();
    out.whenDrained(() => {
      for (const stream of outputs) stream.resume();
    });
  };
  const accept = (): void => {
    if (state.accepted) return;
    state.probing = false;
    clearTimeout(probeTimer);
    state.accepted = true;
    out.send({ type: StreamType.started, container: options.container, command: options.command });
    for (const item of held) forward(item.type, item.data);
    held = [];
    options.accept(session);
  };
  const probeTimer = state.probing ? setTimeout(accept, options.probeMs) : undefined;
  if (!state.probing) accept();

  const take = (type: OutputType, data: string): void => {
    if (data === '') return;
    options.activity();
    if (!state.probing) {
      forward(type, data);
      return;
    }
    held.push({ type, data });
    if (!looksLikeMissingProgram(heldText())) accept();
  };
  // The browser left: stop reading, so paused streams do not keep the promises below waiting.
  const drop = (): void => {
    for (const stream of outputs) stream.destroy();
  };
  signal.addEventListener('abort', drop, { once: true });
  try {
    const [result] = await Promise.all([
      Promise.allSettled([session.exit]).then(([settled]) => settled),
      relayOutput(session.stdout, (data) => {
        take(StreamType.stdout, data);
      }),
      relayOutput(session.stderr, (data) => {
        take(StreamType.stderr, data);
      }),
    ]);
    const outcome = execOutcome(result);
    if (state.probing && isMissingProgram(outcome, heldText())) return { kind: 'missing' };
    if (!state.accepted && !signal.aborted) accept();
    return outcome;
  } finally {
    clearTimeout(probeTimer);
    signal.removeEventListener('abort', drop);
    session.close();
    ctx.metrics.closed('exec');
  }
}

/** Calls `take` with the stream's text as it comes; resolves once the stream is done. */
function relayOutput(stream: Readable, take: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      take(decoder.decode(chunk, { stream: true }));
    });
    stream.once('end', () => {
      take(decoder.decode());
    });
    stream.once('close', resolve);
    stream.on('error', () => undefined);
  });
}
