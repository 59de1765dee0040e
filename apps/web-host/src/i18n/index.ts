import type { Locale } from '@binnacle/contract';
import { createI18n } from 'vue-i18n';
import en from './en';
import zhCN from './zh-CN';

export type MessageSchema = typeof en;

export const messages: Record<Locale, MessageSchema> = { en, 'zh-CN': zhCN };

export function createPortalI18n(locale: Locale) {
  return createI18n<[MessageSchema], Locale, false>({
    // The Composition API (useI18n); vue-i18n 11 still defaults to the legacy one.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
  });
}
