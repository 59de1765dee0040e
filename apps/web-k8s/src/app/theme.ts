// The colors the app paints itself, taken from ant-design-vue's algorithms so that they follow
// `theme.algorithm` like the components do, instead of hard-coded light or dark values.
import type { Theme } from '@binnacle/contract';
import { theme as antTheme } from 'ant-design-vue';

export function algorithmOf(theme: Theme) {
  return theme === 'dark' ? antTheme.darkAlgorithm : antTheme.defaultAlgorithm;
}

/** The theme config of the app's ConfigProvider. */
export function themeConfigOf(theme: Theme) {
  const algorithm = algorithmOf(theme);
  const tokens = algorithm(antTheme.defaultSeed);
  return {
    algorithm,
    // The header defaults to a fixed navy in both algorithms; here it is a surface like the others.
    components: { Layout: { colorBgHeader: tokens.colorBgContainer } },
  };
}

const darkTokens = antTheme.darkAlgorithm(antTheme.defaultSeed);

/** Logs and terminals stay dark in both themes, like the terminals people are used to. */
export const consoleColors = {
  background: darkTokens.colorBgContainer,
  foreground: darkTokens.colorText,
  border: darkTokens.colorBorderSecondary,
} as const;
