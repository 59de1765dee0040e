// Theme and language of the portal, remembered per browser. The sub-app gets them as mount props
// and, when they change, through qiankun's global state.
import type { Locale, Theme } from '@binnacle/contract';
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

export const locales: readonly Locale[] = ['en', 'zh-CN'];
// Namespaced: the sub-app shares this origin's storage.
const themeKey = 'acme-portal.theme';
const localeKey = 'acme-portal.locale';

function isLocale(value: unknown): value is Locale {
  return locales.some((locale) => locale === value);
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(localeKey);
  if (isLocale(saved)) return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function initialTheme(): Theme {
  const saved = localStorage.getItem(themeKey);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const usePrefsStore = defineStore('prefs', () => {
  const theme = ref<Theme>(initialTheme());
  const locale = ref<Locale>(initialLocale());

  watch(theme, (value) => {
    localStorage.setItem(themeKey, value);
  });
  watch(locale, (value) => {
    localStorage.setItem(localeKey, value);
  });

  function toggleTheme(): void {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
  }

  function setLocale(value: Locale): void {
    locale.value = value;
  }

  return { theme, locale, toggleTheme, setLocale };
});
