import { theme as antTheme } from 'ant-design-vue';
import { describe, expect, it } from 'vitest';
import { themeConfigOf } from './config';

describe('themeConfigOf', () => {
  it.each([
    { theme: 'light' as const, algorithm: antTheme.defaultAlgorithm },
    { theme: 'dark' as const, algorithm: antTheme.darkAlgorithm },
  ])('$theme: its algorithm, and a header painted like its surfaces', ({ theme, algorithm }) => {
    const config = themeConfigOf(theme);
    expect(config.algorithm).toBe(algorithm);
    expect(config.components.Layout.colorBgHeader).toBe(
      algorithm(antTheme.defaultSeed).colorBgContainer,
    );
  });

  it('gives the two themes different headers', () => {
    expect(themeConfigOf('dark').components.Layout.colorBgHeader).not.toBe(
      themeConfigOf('light').components.Layout.colorBgHeader,
    );
  });
});
