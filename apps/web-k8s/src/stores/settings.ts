// Theme and language. Embedded they follow the host; standalone the person picks and the choice
// is remembered under the sub-app's own storage keys.
import type { HostState, Locale, Theme } from '@binnacle/contract';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { useRuntime } from '../app/runtime';
import { writeSetting } from '../utils/storage';

export const useSettingsStore = defineStore('settings', () => {
  const runtime = useRuntime();
  const theme = ref<Theme>(runtime.initial.theme);
  const locale = ref<Locale>(runtime.initial.locale);
  const followsHost = runtime.mode === 'embedded';

  function apply(state: Partial<HostState>): void {
    if (state.theme !== undefined) theme.value = state.theme;
    if (state.locale !== undefined) locale.value = state.locale;
  }

  function setTheme(next: Theme): void {
    theme.value = next;
    if (!followsHost) writeSetting('theme', next);
  }

  function setLocale(next: Locale): void {
    locale.value = next;
    if (!followsHost) writeSetting('locale', next);
  }

  return { theme, locale, followsHost, apply, setTheme, setLocale };
});
