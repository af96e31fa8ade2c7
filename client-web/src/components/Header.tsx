import type { Schemas } from '../api/client';
import { t, type Lang } from '../i18n/i18n';
import { LangSwitch } from './LangSwitch';
import { SearchBox } from './SearchBox';

export function Header({ me, onLang, onSignOut }: {
  me: Schemas['Me']; onLang: (lang: Lang) => void; onSignOut: () => void;
}) {
  return (
    <header class="app-header">
      <a class="brand" href="#/" data-testid="app-name"><span class="brand-mark">回覧</span> Kairan</a>
      {me.orgId && <SearchBox />}
      <div class="header-right">
        <div class="who">
          <span class="who-name" data-testid="user-name">{me.displayName}</span>
          <span class="who-org" data-testid="user-org">{me.orgName ?? t('header.operator')}</span>
        </div>
        <LangSwitch onLang={onLang} />
        <button type="button" class="button" data-testid="signout" onClick={onSignOut}>{t('header.signOut')}</button>
      </div>
    </header>
  );
}
