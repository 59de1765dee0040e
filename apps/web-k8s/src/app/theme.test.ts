import { theme as antTheme } from 'ant-design-vue';
import { describe, expect, it } from 'vitest';
import { algorithmOf, consoleColors, themeConfigOf } from './theme';

describe('themeConfigOf', () => {
  it.each([
    { theme: 'light' as const, algorithm: antTheme.defaultAlgorithm },
    { theme: 'dark' as const, algorithm: antTheme.darkAlgorithm },
  ])('$theme: its algorithm, and a header painted like its surfaces', ({ theme, algorithm }) => {
    expect(algorithmOf(theme)).toBe(algorithm);
    const config = themeConfigOf(theme);
    expect(config.algorithm).toBe(algorithm);
    expect(config.components.Layout.colorBgHeader).toBe(
      algorithm(antTheme.defaultSeed).colorBgContainer,
    );
  });
});

describe('consoleColors', () => {
  it('are the dark theme colors whatever the theme, light text on a dark ground', () => {
    const dark = antTheme.darkAlgorithm(antTheme.defaultSeed);
    expect(consoleColors.background).toBe(dark.colorBgContainer);
    expect(consoleColors.foreground).toBe(dark.colorText);
    expect(consoleColors.background).not.toBe(
      antTheme.defaultAlgorithm(antTheme.defaultSeed).colorBgContainer,
    );
  });
});
