// The i18n instance of one mount, and the ant-design-vue locale that goes with each language.
import type { Locale } from '@binnacle/contract';
import antEn from 'ant-design-vue/es/locale/en_US';
import antZh from 'ant-design-vue/es/locale/zh_CN';
import { createI18n } from 'vue-i18n';
import { en, type Messages } from './en';
import { zhCN } from './zh-CN';

export const messages: Record<Locale, Messages> = { en, 'zh-CN': zhCN };

export function createK8sI18n(locale: Locale) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
    missingWarn: false,
    fallbackWarn: false,
  });
}

export const antLocales = { en: antEn, 'zh-CN': antZh };

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'zh-CN';
}
