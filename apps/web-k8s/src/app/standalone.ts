// Standalone, the app chooses its own theme and language: the last choice, else the browser's.
import type { Locale, Theme } from '@binnacle/contract';
import { isLocale } from '../locales/index';
import { readSetting } from '../utils/storage';

export function standaloneSettings(): { theme: Theme; locale: Locale } {
  const theme = readSetting('theme');
  const locale = readSetting('locale');
  // matchMedia is missing in some embedded browsers and test environments.
  const prefersDark =
    typeof window.matchMedia === 'function' &&
    window.matchMedia('(prefers-color-scheme: dark)').matches;
  return {
    theme: theme === 'dark' || theme === 'light' ? theme : prefersDark ? 'dark' : 'light',
    locale: isLocale(locale)
      ? locale
      : navigator.language.toLowerCase().startsWith('zh')
        ? 'zh-CN'
        : 'en',
  };
}
