// Child processes of the harness: their output goes to a log file, and a failure to start says
// what the process printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

export interface Started {
  child: ChildProcess;
  logFile: string;
  stop: () => Promise<void>;
}

export function start(options: {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
}): Started {
  const log = createWriteStream(options.logFile);
  const child = spawn(options.command, options.args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  return {
    child,
    logFile: options.logFile,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}

export async function tail(file: string, lines = 40): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** Polls `ready` until it holds, failing early when the process exits. */
export async function waitUntil(
  started: Started,
  options: { what: string; ready: () => Promise<boolean>; timeoutMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (started.child.exitCode !== null) {
      throw new Error(
        `${options.what} exited with ${started.child.exitCode}:\n${await tail(started.logFile)}`,
      );
    }
    if (await options.ready().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`${options.what} was not ready in time:\n${await tail(started.logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
