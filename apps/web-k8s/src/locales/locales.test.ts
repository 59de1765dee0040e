import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) =>
    keys(inner, prefix === '' ? key : `${prefix}.${key}`),
  );
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('locales', () => {
  it('zh-CN has exactly the keys of en', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it('every translation uses the same placeholders and is not empty', () => {
    const read = (messages: unknown, key: string) =>
      key
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
    for (const key of keys(en)) {
      const english = read(en, key) as string;
      const chinese = read(zhCN, key) as string;
      expect(chinese, key).not.toBe('');
      expect(placeholders(chinese), key).toEqual(placeholders(english));
    }
  });
});
