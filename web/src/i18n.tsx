import { ConfigProvider } from 'antd';
// The ES module builds: the CommonJS files under antd/locale/ lose their default export in the bundle,
// which left the date pickers and calendars in English on a Chinese page.
import enUS from 'antd/es/locale/en_US';
import zhCNAntd from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { fillMessage } from './fill.js';
import { en, type MessageKey, zhCN } from './messages.js';
import { formatBusinessDate, formatCount, formatDateTime, formatMoney, type Locale } from './money.js';

const LOCALE_KEY = 'lendguard.locale';

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  money: (amount: string) => string;
  count: (n: number) => string;
  dateTime: (iso: string) => string;
  date: (businessDate: string) => string;
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

const I18nContext = createContext<I18n | null>(null);

/** dayjs names months and weekdays in the date pickers; set before a render, never after it. */
function setDayjsLocale(locale: Locale): void {
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const first = initialLocale();
    setDayjsLocale(first);
    return first;
  });
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(LOCALE_KEY, next);
    setDayjsLocale(next);
    setLocaleState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(() => {
    const table = locale === 'zh-CN' ? zhCN : en;
    return {
      locale,
      setLocale,
      t: (key, params) => fillMessage(table[key], params),
      money: (amount) => formatMoney(amount, locale),
      count: (n) => formatCount(n, locale),
      dateTime: (iso) => formatDateTime(iso, locale),
      date: (d) => formatBusinessDate(d, locale),
    };
  }, [locale, setLocale]);
  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider locale={locale === 'zh-CN' ? zhCNAntd : enUS}>{children}</ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === null) throw new Error('assertion: useI18n outside I18nProvider');
  return value;
}
