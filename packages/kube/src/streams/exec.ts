// Running a command in a container (exec) or joining its main process (attach), over WebSocket.
import type { KubeClient } from '../client.ts';
import { KubeError } from '../errors.ts';
import { core, resourcePath } from '../resource.ts';
import { openSession, type ExecExit, type ExecSession } from './session.ts';

export interface ExecOptions {
  namespace: string;
  pod: string;
  /** The pod's only (or default) container when absent. */
  container?: string;
  command: string[];
  stdin?: boolean;
  /** A terminal: stderr is merged into stdout; needs `stdin`. */
  tty?: boolean;
  signal?: AbortSignal;
}

export interface AttachOptions {
  namespace: string;
  pod: string;
  container?: string;
  stdin?: boolean;
  /** Default true. */
  stdout?: boolean;
  /** Default true, except with a tty (a terminal has one output). */
  stderr?: boolean;
  /** Needs `stdin`. */
  tty?: boolean;
  signal?: AbortSignal;
}

export interface ExecCollectOptions {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  /** Sent to the command, then stdin is closed (needs v5.channel.k8s.io). */
  stdin?: string | Buffer;
  signal?: AbortSignal;
  /** Most output kept from stdout and stderr together (default 16 MiB); more is an error. */
  maxOutputBytes?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * kubectl turns the tty off when there is no stdin; we refuse instead. Some runtimes crash on it:
 * kwok v0.8.0's kubelet dereferences the missing stdin and the whole process dies.
 */
function ttyNeedsStdin(): KubeError {
  return new KubeError({
    code: 0,
    reason: 'InvalidConfig',
    message: 'a tty needs stdin: pass stdin: true',
  });
}

export function exec(client: KubeClient, options: ExecOptions): Promise<ExecSession> {
  if (options.command.length === 0) {
    return Promise.reject(
      new KubeError({ code: 0, reason: 'InvalidConfig', message: 'exec needs a command' }),
    );
  }
  const tty = options.tty === true;
  const stdin = options.stdin === true;
  if (tty && !stdin) return Promise.reject(ttyNeedsStdin());
  return openSession({
    transport: client.transport,
    impersonate: client.impersonation,
    path: resourcePath(core.pods, {
      namespace: options.namespace,
      name: options.pod,
      subresource: 'exec',
    }),
    query: {
      command: options.command,
      container: options.container,
      stdin,
      stdout: true,
      stderr: !tty,
      tty,
    },
    stdin,
    stdout: true,
    stderr: !tty,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export function attach(client: KubeClient, options: AttachOptions): Promise<ExecSession> {
  const tty = options.tty === true;
  const stdin = options.stdin === true;
  if (tty && !stdin) return Promise.reject(ttyNeedsStdin());
  const stdout = options.stdout ?? true;
  const stderr = (options.stderr ?? true) && !tty;
  return openSession({
    transport: client.transport,
    impersonate: client.impersonation,
    path: resourcePath(core.pods, {
      namespace: options.namespace,
      name: options.pod,
      subresource: 'attach',
    }),
    query: { container: options.container, stdin, stdout, stderr, tty },
    stdin,
    stdout,
    stderr,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Runs a command to its end and returns its output; a non-zero exit is a result, not an error. */
export async function execCollect(
  client: KubeClient,
  options: ExecCollectOptions,
): Promise<ExecResult> {
  const session = await exec(client, {
    namespace: options.namespace,
    pod: options.pod,
    command: options.command,
    stdin: options.stdin !== undefined,
    ...(options.container !== undefined ? { container: options.container } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const limit = options.maxOutputBytes ?? 16 * 1024 * 1024;
  let total = 0;
  let overflow: KubeError | undefined;
  const collect = (stream: NodeJS.ReadableStream): Promise<string> =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limit) {
          overflow ??= new KubeError({
            code: 0,
            reason: 'RequestEntityTooLarge',
            message: `the command wrote more than ${limit} bytes`,
          });
          session.close();
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', () => {
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
  const outputs = Promise.all([collect(session.stdout), collect(session.stderr)]);
  try {
    if (options.stdin !== undefined) {
      session.stdin.write(options.stdin);
      session.closeStdin();
    }
    let exit: ExecExit;
    try {
      exit = await session.exit;
    } catch (err) {
      throw overflow ?? err;
    }
    const [stdout, stderr] = await outputs;
    return { stdout, stderr, code: exit.code };
  } finally {
    session.close();
  }
}
