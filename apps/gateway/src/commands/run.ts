// Runs a command's main function when its file is the program node was started with, and turns a
// failure into a one-line message and exit code 1.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function runIfMain(moduleUrl: string, name: string, main: () => Promise<void>): void {
  const script = process.argv[1];
  if (script === undefined || pathToFileURL(realpathSync(script)).href !== moduleUrl) return;
  main().catch((err: unknown) => {
    console.error(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
