import { en } from "./messages/en";
import { zhCN, type MessageKey } from "./messages/zh-CN";

export type Locale = "zh-CN" | "en";

const catalogues: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };
const STORAGE_KEY = "streetdesk.locale";

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return saved === "en" ? "en" : "zh-CN";
}

const state = $state({ locale: initialLocale() });

/** The current interface language. */
export function locale(): Locale {
  return state.locale;
}

/** Switches the interface language and remembers the choice. */
export function setLocale(l: Locale): void {
  state.locale = l;
  globalThis.localStorage?.setItem(STORAGE_KEY, l);
  document.documentElement.lang = l;
}

/** Whether `key` is in the catalogues (for keys built at run time, e.g. error codes). */
export function hasMessage(key: string): key is MessageKey {
  return key in zhCN;
}

/** Translates `key`, filling `{name}` placeholders from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = catalogues[state.locale][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}
