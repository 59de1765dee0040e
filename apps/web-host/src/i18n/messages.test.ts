import { describe, expect, it } from 'vitest';
import { messages } from './index';

/** Every leaf key path of a message tree, e.g. `login.submit`. */
function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? keys(value as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

/** The `{name}` placeholders of each message, so a translation keeps its parameters. */
function placeholders(tree: object): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const walk = (node: object, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'object' && value !== null) walk(value as object, `${prefix}${key}.`);
      else
        out[`${prefix}${key}`] = [...String(value).matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    }
  };
  walk(tree, '');
  return out;
}

describe('portal messages', () => {
  it('has the same keys in English and Simplified Chinese', () => {
    expect(keys(messages['zh-CN']).sort()).toEqual(keys(messages.en).sort());
  });

  it('keeps the placeholders of every message', () => {
    expect(placeholders(messages['zh-CN'])).toEqual(placeholders(messages.en));
  });

  it('translates the visible texts (no English left in the Chinese catalogue)', () => {
    const zh = messages['zh-CN'];
    expect(zh.login.submit).toBe('登录');
    expect(zh.header.signOut).not.toBe(messages.en.header.signOut);
    expect(zh.app.name).not.toBe(messages.en.app.name);
  });
});
