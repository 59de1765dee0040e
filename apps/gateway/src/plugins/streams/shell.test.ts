import { KubeError } from '@binnacle/kube';
import { describe, expect, it } from 'vitest';
import { execOutcome, isMissingProgram, looksLikeMissingProgram } from './shell.js';

const internal = (message: string) =>
  new KubeError({ code: 500, reason: 'InternalError', message });

describe('execOutcome', () => {
  it.each([
    ['a success', { status: 'fulfilled', value: { code: 0 } }, { kind: 'exit', code: 0 }],
    [
      "a kubelet's NonZeroExitCode",
      {
        status: 'fulfilled',
        value: { code: 2, status: { status: 'Failure', message: 'command terminated' } },
      },
      { kind: 'exit', code: 2, message: 'command terminated' },
    ],
    [
      "kwok's InternalError ending in exit status N",
      {
        status: 'rejected',
        reason: internal(
          'error executing command in container: cmd wait: sh -c exit 3: exit status 3',
        ),
      },
      {
        kind: 'exit',
        code: 3,
        message: 'error executing command in container: cmd wait: sh -c exit 3: exit status 3',
      },
    ],
  ] as const)('reads %s as an exit', (_name, settled, expected) => {
    expect(execOutcome(settled)).toEqual(expected);
  });

  it('keeps any other failure a failure', () => {
    const error = new KubeError({ code: 403, reason: 'Forbidden', message: 'no' });
    expect(execOutcome({ status: 'rejected', reason: error })).toEqual({ kind: 'failed', error });
    const odd = internal('exit status 3 happened earlier, then the node went away');
    expect(execOutcome({ status: 'rejected', reason: odd }).kind).toBe('failed');
  });
});

describe('isMissingProgram', () => {
  const kwok = internal(
    'error executing command in container: cmd start: bash : exec: "bash": executable file not found in $PATH',
  );
  it.each([
    ['kwok / containerd: executable file not found', { kind: 'failed', error: kwok }, '', true],
    ['exit 127 with no output', { kind: 'exit', code: 127 }, '', true],
    [
      'exit 126 with the runtime message as output',
      { kind: 'exit', code: 126 },
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown\r\n',
      true,
    ],
    ['exit 127 after a prompt', { kind: 'exit', code: 127 }, 'root@box:/# ', false],
    ['exit 1', { kind: 'exit', code: 1 }, '', false],
    [
      'a refusal',
      { kind: 'failed', error: new KubeError({ code: 403, reason: 'Forbidden', message: 'no' }) },
      '',
      false,
    ],
  ] as const)('%s → %s', (_name, outcome, output, expected) => {
    expect(isMissingProgram(outcome, output)).toBe(expected);
  });

  it('holds back output only while it looks like the runtime saying so', () => {
    expect(looksLikeMissingProgram('OCI runtime exec failed: exec failed')).toBe(true);
    expect(looksLikeMissingProgram('sh: bash: not found\n')).toBe(true);
    expect(looksLikeMissingProgram('root@box:/# ')).toBe(false);
  });
});
