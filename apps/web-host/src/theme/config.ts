// The portal's theme config: ant-design-vue's algorithm for the chosen theme, and the header as a
// surface of that algorithm (Layout's header is otherwise a fixed navy in both themes).
import type { Theme } from '@binnacle/contract';
import { theme as antTheme } from 'ant-design-vue';

export function themeConfigOf(theme: Theme) {
  const algorithm = theme === 'dark' ? antTheme.darkAlgorithm : antTheme.defaultAlgorithm;
  const tokens = algorithm(antTheme.defaultSeed);
  return {
    algorithm,
    components: { Layout: { colorBgHeader: tokens.colorBgContainer } },
  };
}
