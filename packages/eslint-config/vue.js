// The lint setup for the Vue apps: the shared TypeScript rules plus eslint-plugin-vue.
import prettier from 'eslint-config-prettier';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { ignores, typescript } from './index.js';

export default tseslint.config(
  ignores,
  ...typescript,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        parser: tseslint.parser,
        projectService: true,
        extraFileExtensions: ['.vue'],
      },
    },
  },
  prettier,
);
