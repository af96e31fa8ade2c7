import { ja } from './ja';
import { en } from './en';

export type Lang = 'ja' | 'en';
export type MessageKey = keyof typeof ja;

export const tables: Record<Lang, Record<MessageKey, string>> = { ja, en };

const STORAGE_KEY = 'kairan.lang';
let current: Lang = stored() ?? 'ja';

export function lang(): Lang {
  return current;
}

/** Switches the language, remembers it and updates `<html lang>` and the title. */
export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  applyToDocument();
}

export function applyToDocument(): void {
  document.documentElement.lang = current;
  document.title = t('app.title');
}

/** The message for `key` in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return tables[current][key].replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m));
}

function stored(): Lang | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return value === 'ja' || value === 'en' ? value : null;
  } catch {
    return null;
  }
}
