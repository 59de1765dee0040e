import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const here = new URL('.', import.meta.url).pathname;
const tsc = join(here, 'node_modules', '.bin', 'tsc');

test('the base config is strict', () => {
  const base = JSON.parse(readFileSync(join(here, 'base.json'), 'utf8'));
  for (const flag of [
    'strict',
    'noUncheckedIndexedAccess',
    'noImplicitOverride',
    'verbatimModuleSyntax',
  ]) {
    assert.equal(base.compilerOptions[flag], true, flag);
  }
});

test('an unchecked index access does not compile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsconfig-probe-'));
  writeFileSync(join(dir, 'bad.ts'), 'export const n: number = [1, 2][5];\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(here, 'node.json'),
      compilerOptions: { noEmit: true, types: [] },
      files: ['bad.ts'],
    }),
  );
  // tsc prints its diagnostics on stdout.
  assert.throws(
    () => execFileSync(tsc, ['-p', dir], { stdio: 'pipe' }),
    (err) => /TS2322/.test(String(err.stdout)),
  );
});
