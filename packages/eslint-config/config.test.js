import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

test('the shared config flags an unused variable in TypeScript', async () => {
  const eslint = new ESLint({
    overrideConfigFile: new URL('./index.js', import.meta.url).pathname,
  });
  const [result] = await eslint.lintText('const unused = 1;\n', { filePath: 'probe.js' });
  assert.ok(result);
  assert.ok(result.messages.some((m) => m.ruleId === '@typescript-eslint/no-unused-vars'));
});
