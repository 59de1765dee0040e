import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Kubectl {
  (args: string[], options?: { input?: string; timeoutMs?: number }): Promise<string>;
  path: string;
  kubeconfig: string;
}

/** A kubectl bound to one kubeconfig; errors carry kubectl's own message. */
export function kubectlFor(binDir: string, kubeconfig: string): Kubectl {
  const path = join(binDir, 'kubectl');
  const fn = async (args: string[], options: { input?: string; timeoutMs?: number } = {}) => {
    const full = ['--kubeconfig', kubeconfig, ...args];
    try {
      if (options.input === undefined) {
        const { stdout } = await run(path, full, {
          timeout: options.timeoutMs ?? 60_000,
          maxBuffer: 256 * 1024 * 1024,
        });
        return stdout;
      }
      return await withInput(path, full, options.input, options.timeoutMs ?? 60_000);
    } catch (err) {
      const stderr = err instanceof Error && 'stderr' in err ? String(err.stderr).trim() : '';
      throw new Error(`kubectl ${args.join(' ')} failed: ${stderr || String(err)}`);
    }
  };
  return Object.assign(fn, { path, kubeconfig });
}

function withInput(path: string, args: string[], input: string, timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { timeout, maxBuffer: 64 * 1024 * 1024 };
    const child = execFile(path, args, options, (err, stdout, stderr) => {
      if (err) reject(Object.assign(new Error(err.message), { stderr }));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}
