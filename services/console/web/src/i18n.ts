/**
 * Simplified Chinese by default, English on the switch (kept in localStorage). Each page declares its own
 * messages beside its code with `defineMessages(zh, en)` — the same keys in both, checked by the compiler — and
 * reads them with `useT(messages)`. Terms follow ../shared/GLOSSARY.md (县级分拨中心 county sorting center,
 * 乡镇服务站 town station, 村级服务点 village station, 波次 wave, 冷链 cold chain, 时效 SLA …).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'console.lang';

export interface Messages<K extends string> {
  'zh-CN': Record<K, string>;
  en: Record<K, string>;
}

export function defineMessages<K extends string>(zh: Record<K, string>, en: Record<K, string>): Messages<K> {
  return { 'zh-CN': zh, en };
}

export function initialLang(): Lang {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
}

export function storeLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

export interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
}
export const LangContext = createContext<LangState>({ lang: 'zh-CN', setLang: () => undefined });

export function useLang(): LangState {
  return useContext(LangContext);
}

/** `{name}` placeholders are replaced by `vars.name`. */
export type T<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

export function translate<K extends string>(messages: Messages<K>, lang: Lang): T<K> {
  return (key, vars) => {
    const text = messages[lang][key] ?? messages['zh-CN'][key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text;
  };
}

export function useT<K extends string>(messages: Messages<K>): T<K> {
  return translate(messages, useLang().lang);
}

/** Numbers, percentages, money and times in the chosen language; times in the county's zone. */
export function formats(lang: Lang, timeZone = 'Asia/Shanghai') {
  const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
  return {
    number: (n: number | null | undefined, digits = 0) => (n === null || n === undefined ? '—' : n.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })),
    pct: (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '—' : `${n.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })} %`),
    yuan: (n: number | null | undefined) => (n === null || n === undefined ? '—' : `¥${n.toLocaleString(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`),
    dateTime: (iso: string | null | undefined) =>
      iso ? new Intl.DateTimeFormat(locale, { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso)) : '—',
    time: (iso: string | null | undefined) => (iso ? new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso)) : '—'),
    /** YYYY-MM-DD of an instant in the county. */
    localDate: (at: Date = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at),
  };
}
