// A command in a pod over a WebSocket. Browser → gateway: `stdin`, `resize`, `close-stdin`.
// Gateway → browser: `started {container, command}`, `stdout`/`stderr`, then `exit {code}` and
// close 1000, or `error` and close 1011 (4408 when idle, 1008 for a message that breaks the
// protocol). Without `command`, the first shell the image has (bash, then sh) runs; with `cols`
// and `rows` it gets a terminal of that size.
import {
  CloseCode,
  decodeMessage,
  ExecClientMessageSchema,
  StreamType,
  type ExecQuery,
} from '@binnacle/contract';
import type { ExecSession } from '@binnacle/kube';
import type { RawData } from 'ws';
import { attempt } from './attempt.js';
import type { StreamContext } from './context.js';
import { failureOf, StreamError } from './failures.js';
import { chooseContainer, readPod } from './pod.js';
import { isMissingProgram, type ExecOutcome } from './shell.js';
import { stdinPipe } from './stdin.js';

export interface ExecSettings {
  /** Shells tried in order when no command is given. */
  shells: readonly (readonly string[])[];
  /** Closes the session after this long without input or output. */
  idleMs: number;
  /** How long a shell that might be missing is on probation (see attempt.ts). */
  probeMs: number;
}

/** Serves the socket; resolves once the upstream session has ended. */
export function streamExec(
  ctx: StreamContext,
  query: ExecQuery,
  settings: ExecSettings,
): Promise<void> {
  const { socket, out } = ctx;
  const size =
    query.cols !== undefined && query.rows !== undefined
      ? { cols: query.cols, rows: query.rows }
      : undefined;
  const stdin = stdinPipe(socket, ctx.request.log);
  let session: ExecSession | undefined;

  let lastActivity = Date.now();
  const activity = (): void => {
    lastActivity = Date.now();
  };
  let idleTimer: NodeJS.Timeout | undefined;
  const checkIdle = (): void => {
    const quiet = Date.now() - lastActivity;
    if (quiet < settings.idleMs) {
      idleTimer = setTimeout(checkIdle, settings.idleMs - quiet);
      return;
    }
    const minutes = Math.round(settings.idleMs / 60_000);
    const quietFor =
      minutes === 0 ? 'a while' : minutes === 1 ? '1 minute' : `${String(minutes)} minutes`;
    out.fail(
      {
        code: 'Idle',
        message: `The session was closed after ${quietFor} without input or output.`,
      },
      CloseCode.idle,
    );
  };
  idleTimer = setTimeout(checkIdle, settings.idleMs);

  socket.on('message', (data: RawData, isBinary: boolean) => {
    ctx.received();
    activity();
    const message = isBinary ? undefined : decodeMessage(ExecClientMessageSchema, rawText(data));
    if (message === undefined) {
      out.fail(
        {
          code: 'BadMessage',
          message: 'The browser sent a message the terminal does not understand.',
        },
        CloseCode.protocol,
      );
      return;
    }
    if (message.type === StreamType.stdin) stdin.write(Buffer.from(message.data, 'utf8'));
    else if (message.type === StreamType.closeStdin) stdin.end();
    else if (size !== undefined) {
      size.cols = message.cols;
      size.rows = message.rows;
      resize(session, size, ctx);
    }
  });
  socket.once('close', () => {
    clearTimeout(idleTimer);
  });

  return serveExec(ctx, {
    query,
    settings,
    tty: size !== undefined,
    activity,
    onSession: (opened) => {
      session = opened;
      if (size !== undefined) resize(opened, size, ctx);
    },
    accept: (accepted) => {
      stdin.connect(accepted);
    },
  }).finally(() => {
    clearTimeout(idleTimer);
  });
}

function resize(
  session: ExecSession | undefined,
  size: { cols: number; rows: number },
  ctx: StreamContext,
): void {
  try {
    session?.resize(size);
  } catch (err) {
    ctx.request.log.debug({ err }, 'the terminal could not be resized');
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

async function serveExec(
  ctx: StreamContext,
  options: {
    query: ExecQuery;
    settings: ExecSettings;
    tty: boolean;
    activity: () => void;
    onSession: (session: ExecSession) => void;
    accept: (session: ExecSession) => void;
  },
): Promise<void> {
  const { params, signal, out } = ctx;
  const { query, settings } = options;
  let container: string | undefined;
  let command: readonly string[] | undefined;
  let outcome: ExecOutcome | undefined;
  try {
    const client = await ctx.app.clusters.clientFor(params.cluster, ctx.user);
    const pod = await readPod(client, { namespace: params.namespace, name: params.name, signal });
    container = chooseContainer(pod, query.container);
    const candidates = query.command !== undefined ? [query.command] : settings.shells;
    for (const [index, candidate] of candidates.entries()) {
      command = candidate;
      const result = await attempt(ctx, {
        client,
        container,
        command: [...candidate],
        tty: options.tty,
        probe: query.command === undefined && index < candidates.length - 1,
        probeMs: settings.probeMs,
        activity: options.activity,
        onSession: options.onSession,
        accept: (session) => {
          ctx.audit.started({ container, command: candidate, tty: options.tty });
          options.accept(session);
        },
      });
      if (result.kind === 'missing') continue;
      outcome = result;
      break;
    }
    if (outcome === undefined) throw new Error('no shell is configured');
    if (outcome.kind === 'failed') {
      throw (
        notFound(outcome, { query, container, command, shells: settings.shells }) ?? outcome.error
      );
    }
    if (signal.aborted) throw new Error('the browser left');
    out.send({
      type: StreamType.exit,
      code: outcome.code,
      ...(outcome.message !== undefined ? { message: outcome.message } : {}),
    });
    out.close(CloseCode.normal, `The command exited with code ${outcome.code}.`);
    ctx.audit.ended('success', { container, command, exitCode: outcome.code });
  } catch (err) {
    if (signal.aborted) {
      ctx.audit.ended('success', { container, command, closeCode: ctx.closeCode() ?? null });
      return;
    }
    const failure = failureOf(err, { what: 'command', log: ctx.request.log });
    out.fail(failure);
    ctx.audit.ended('failure', { container, command, error: failure.message });
  }
}

/** A readable error for a command or shell the image does not have. */
function notFound(
  outcome: ExecOutcome,
  options: {
    query: ExecQuery;
    container: string;
    command: readonly string[] | undefined;
    shells: readonly (readonly string[])[];
  },
): StreamError | undefined {
  if (!isMissingProgram(outcome, '')) return undefined;
  const { container } = options;
  if (options.query.command === undefined) {
    const tried = options.shells.map((shell) => shell.join(' ')).join(', ');
    return new StreamError(
      'NoShell',
      `Container "${container}" has none of the shells tried (${tried}); run a command instead.`,
    );
  }
  const program = options.command?.[0] ?? '';
  return new StreamError(
    'CommandNotFound',
    `Container "${container}" has no program "${program}".`,
  );
}
