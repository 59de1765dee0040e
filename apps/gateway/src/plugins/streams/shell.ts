// How an exec ended, read from what the cluster reports, and whether it ended because the program
// is not in the image (so the next shell should be tried).
import { KubeError, type ExecExit } from '@binnacle/kube';

/** Tried in order when the browser names no command; the first one the image has is used. */
export const defaultShells: readonly (readonly string[])[] = [['bash'], ['sh']];

export type ExecOutcome =
  { kind: 'exit'; code: number; message?: string } | { kind: 'failed'; error: unknown };

// A kubelet reports a non-zero exit as NonZeroExitCode with the code (the kube client resolves
// those); kwok and some runtimes send an InternalError whose message ends "exit status N".
const exitStatus = /\bexit (?:status|code) (\d{1,3})\s*$/;

export function execOutcome(result: PromiseSettledResult<ExecExit>): ExecOutcome {
  if (result.status === 'fulfilled') {
    const message = result.value.status?.message;
    return result.value.code === 0 || message === undefined
      ? { kind: 'exit', code: result.value.code }
      : { kind: 'exit', code: result.value.code, message };
  }
  const error: unknown = result.reason;
  if (error instanceof KubeError && error.reason === 'InternalError') {
    const match = exitStatus.exec(error.message);
    if (match?.[1] !== undefined) {
      return { kind: 'exit', code: Number(match[1]), message: error.message };
    }
  }
  return { kind: 'failed', error };
}

// containerd/runc: 'exec: "bash": executable file not found in $PATH'; kwok's local exec says the
// same; CRI-O and older runtimes: 'no such file or directory'.
const missing = /executable file not found|no such file or directory/i;

/**
 * Whether a shell that never got going (no output but an error, before any input was sent) failed
 * because the image does not have it: an error saying so, or the shells' own codes for "cannot
 * execute" (126) and "not found" (127), which some runtimes pass on with the message as output.
 */
export function isMissingProgram(outcome: ExecOutcome, output: string): boolean {
  if (outcome.kind === 'failed') {
    return outcome.error instanceof KubeError && missing.test(outcome.error.message);
  }
  if (outcome.code !== 126 && outcome.code !== 127) return false;
  return output.trim() === '' || missing.test(output) || /not found/i.test(output);
}

/** Output a missing program can produce: while only this has come, the shell may still be missing. */
export function looksLikeMissingProgram(output: string): boolean {
  return missing.test(output) || /OCI runtime exec failed|not found/i.test(output);
}
