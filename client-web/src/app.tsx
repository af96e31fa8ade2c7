import { useEffect, useState } from 'preact/hooks';
import { api, isApiError, type Schemas } from './api/client';
import { Header } from './components/Header';
import { useRoute } from './hooks';
import { lang, setLang, t, type Lang, type MessageKey } from './i18n/i18n';
import { isOperator, isOrgAdmin, isOwner } from './roles';
import { Account } from './screens/Account';
import { Departments } from './screens/Departments';
import { Home } from './screens/Home';
import { OrgSettings } from './screens/OrgSettings';
import { Orgs } from './screens/Orgs';
import { SignIn } from './screens/SignIn';
import { UserEdit } from './screens/UserEdit';
import { Users } from './screens/Users';

type Me = Schemas['Me'];

/** Restores the session from the refresh cookie, then shows sign-in or the signed-in layout. */
export function App() {
  const [loading, setLoading] = useState(true);
  const [me, setMe] = useState<Me | null>(null);
  const [notice, setNotice] = useState<unknown>(null);
  const [, setLangState] = useState(lang());

  useEffect(() => {
    api.onSession = (session, cause) => {
      setMe(session?.user ?? null);
      setNotice(cause ?? null);
    };
    api.refresh().catch((e: unknown) => setNotice(isApiError(e, 'refresh_invalid') ? null : e))
      .finally(() => setLoading(false));
  }, []);

  const onLang = (next: Lang) => {
    setLang(next);
    setLangState(next);
  };

  if (loading) return <p class="splash muted">{t('common.loading')}</p>;
  if (!me) return <SignIn notice={notice} onSession={(s) => api.setSession(s)} onLang={onLang} />;
  return (
    <div class="layout">
      <Header me={me} onLang={onLang} onSignOut={() => {
        location.hash = '#/';
        api.logout().catch(() => {});
      }} />
      <aside class="sidebar">
        <Nav me={me} />
      </aside>
      <main class="content">
        <Screen me={me} reloadMe={() => api.call('get', '/api/v1/me').then(setMe)} />
      </main>
    </div>
  );
}

function Nav({ me }: { me: Me }) {
  const [page = ''] = useRoute();
  const items: [string, MessageKey, boolean][] = [
    ['', 'nav.home', true],
    ['orgs', 'nav.orgs', isOperator(me)],
    ['users', 'nav.users', isOrgAdmin(me)],
    ['departments', 'nav.departments', isOrgAdmin(me)],
    ['settings', 'nav.settings', isOwner(me)],
    ['account', 'nav.account', true],
  ];
  return (
    <nav class="nav" aria-label={t('nav.label')}>
      {items.filter(([, , shown]) => shown).map(([path, key]) => (
        <a key={path} href={`#/${path}`} data-testid={`nav-${path || 'home'}`}
          aria-current={page === path ? 'page' : undefined}>{t(key)}</a>
      ))}
    </nav>
  );
}

function Screen({ me, reloadMe }: { me: Me; reloadMe: () => Promise<void> }) {
  const [page, id] = useRoute();
  const orgId = me.orgId;
  if (page === 'account') return <Account me={me} reloadMe={reloadMe} />;
  if (page === 'orgs' && isOperator(me)) return <Orgs />;
  if (orgId && isOrgAdmin(me)) {
    if (page === 'users' && id) return <UserEdit key={id} orgId={orgId} userId={id} me={me} />;
    if (page === 'users') return <Users orgId={orgId} me={me} />;
    if (page === 'departments') return <Departments orgId={orgId} />;
    if (page === 'settings' && isOwner(me)) return <OrgSettings orgId={orgId} />;
  }
  return <Home me={me} />;
}
