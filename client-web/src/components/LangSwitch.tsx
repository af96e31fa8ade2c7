import { lang, t, type Lang } from '../i18n/i18n';

const LANGS: { lang: Lang; label: string }[] = [{ lang: 'ja', label: '日本語' }, { lang: 'en', label: 'English' }];

/** Two toggle buttons, `lang-ja` and `lang-en`; each label is in its own language. */
export function LangSwitch({ onLang }: { onLang: (lang: Lang) => void }) {
  return (
    <div class="lang-switch" role="group" aria-label={t('header.language')}>
      {LANGS.map((l) => (
        <button key={l.lang} type="button" lang={l.lang} data-testid={`lang-${l.lang}`} aria-pressed={lang() === l.lang}
          onClick={() => onLang(l.lang)}>{l.label}</button>
      ))}
    </div>
  );
}
