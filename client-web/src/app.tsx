import { useEffect, useRef, useState } from 'preact/hooks';
import { api, isApiError, type Schemas } from './api/client';
import { attachBrowser, updateTitle } from './chat/browser';
import { Chat } from './chat/chat';
import { totalUnread } from './chat/store';
import { Header } from './components/Header';
import { RemoteWipe } from './device/wipe';
import { UiError } from './errors';
import { useChat, useRoute } from './hooks';
import { lang, setLang, t, type Lang, type MessageKey } from './i18n/i18n';
import { canManageDevices, isAuditor, isOperator, isOrgAdmin, isOwner } from './roles';
import { Account } from './screens/Account';
import { AuditLog } from './screens/AuditLog';
import { ChatScreen } from './screens/chat/ChatScreen';
import { Departments } from './screens/Departments';
import { DeviceAdmin } from './screens/DeviceAdmin';
import { Exports } from './screens/Exports';
import { Home } from './screens/Home';
import { MyDevices } from './screens/MyDevices';
import { OrgSettings } from './screens/OrgSettings';
import { Orgs } from './screens/Orgs';
import { Policy } from './screens/Policy';
import { Retention } from './screens/Retention';
import { SignIn } from './screens/SignIn';
import { UserEdit } from './screens/UserEdit';
import { Users } from './screens/Users';

type Me = Schemas['Me'];

/**
 * The remote wipe of this browser (DEVICES.md): started by a `device_revoked` answer of the API or by the
 * gateway (`device.revoked`, close 4004), whichever comes first; it runs once.
 */
const wipe = new RemoteWipe(api);

/** Restores the session from the refresh cookie, then shows sign-in or the signed-in layout. */
export function App() {
  const [loading, setLoading] = useState(true);
  const [wiping, setWiping] = useState(false);
  const [me, setMe] = useState<Me | null>(null);
  const [notice, setNotice] = useState<unknown>(null);
  const [, setLangState] = useState(lang());
  const restoring = useRef(true);
  const chat = useChatFor(me, () => {
    api.setSession(null);
    setNotice(new UiError('chat.sessionEnded'));
  });

  useEffect(() => {
    api.onSession = (session, cause) => {
      if (session) wipe.rearm();
      setMe(session?.user ?? null);
      // At page load, a refresh the server refuses just means "sign in".
      setNotice(cause && !(restoring.current && isQuietEnd(cause)) ? cause : null);
    };
    api.onDeviceRevoked = () => void wipe.run();
    wipe.onStart = () => setWiping(true);
    wipe.onDone = (result) => {
      setWiping(false);
      setMe(null);
      setNotice(new UiError(result.erased ? 'device.wiped' : 'device.wipeIncomplete'));
      if (!result.erased) console.error('Remote wipe incomplete:', result.failures);
    };
    api.restore().catch((e: unknown) => {
      if (!isQuietEnd(e) && !isApiError(e, 'device_revoked')) setNotice(e);
    }).finally(() => {
      restoring.current = false;
      setLoading(false);
    });
  }, []);

  const onLang = (next: Lang) => {
    setLang(next);
    setLangState(next);
    updateTitle(chat);
  };
  const [page = ''] = useRoute();
  const chatPage = !!me?.orgId && CHAT_PAGES.includes(page);

  if (wiping) return <p class="splash" role="status" data-testid="device-wiping">{t('device.wiping')}</p>;
  if (loading) return <p class="splash muted">{t('common.loading')}</p>;
  if (!me) return <SignIn notice={notice} onSession={(s) => api.setSession(s)} onLang={onLang} />;
  return (
    <div class={chatPage ? 'layout chat-layout' : 'layout'}>
      <Header me={me} onLang={onLang} onSignOut={() => {
        location.hash = '#/';
        api.logout().catch(() => {});
      }} />
      <aside class="sidebar">
        <Nav me={me} chat={chat} />
      </aside>
      <main class={chatPage ? 'content chat-content' : 'content'}>
        {chatPage ? (chat ? <ChatScreen chat={chat} /> : <p class="muted">{t('common.loading')}</p>) : <Screen me={me} reloadMe={() => api.call('get', '/api/v1/me').then(setMe)} />}
      </main>
    </div>
  );
}

/** Errors that end a session without anything to explain: the cookie is gone, or belongs to no key here. */
function isQuietEnd(e: unknown): boolean {
  return isApiError(e, 'refresh_invalid') || isApiError(e, 'dpop_invalid');
}

/** Routes of the chat screen (`#/` is the chat for users of an organization). */
const CHAT_PAGES = ['', 'rooms', 'new-room', 'directory', 'org-rooms', 'search'];

/**
 * The signed-in user's chat while they belong to an organization (the operator has none): connected on sign-in,
 * closed on sign-out. `onSignedOut` runs when the gateway ends the session (4003).
 */
function useChatFor(me: Me | null, onSignedOut: () => void): Chat | null {
  const [chat, setChat] = useState<Chat | null>(null);
  const key = me?.orgId ? me.id : null;
  useEffect(() => {
    if (!me || !key) return;
    const c = new Chat(api, me);
    const detach = attachBrowser(c);
    const unregister = wipe.addCloser(() => c.stop());
    const stopWatching = c.gateway.onStatus((s) => {
      if (s === 'signedOut') onSignedOut();
    });
    c.start();
    setChat(c);
    return () => {
      unregister();
      stopWatching();
      detach();
      c.stop();
      setChat(null);
    };
  }, [key]);
  return chat;
}

function Nav({ me, chat }: { me: Me; chat: Chat | null }) {
  const [page = ''] = useRoute();
  const chatPage = CHAT_PAGES.includes(page);
  const items: [string, MessageKey, boolean][] = [
    ['home', 'nav.home', true],
    ['orgs', 'nav.orgs', isOperator(me)],
    ['users', 'nav.users', isOrgAdmin(me)],
    ['departments', 'nav.departments', isOrgAdmin(me)],
    ['device-admin', 'nav.deviceAdmin', canManageDevices(me)],
    ['settings', 'nav.settings', isOwner(me)],
    ['policy', 'nav.policy', isOrgAdmin(me) && !!me.orgId],
    ['audit', 'nav.audit', isOrgAdmin(me) && !!me.orgId],
    ['retention', 'nav.retention', isOrgAdmin(me) && !!me.orgId],
    ['exports', 'nav.exports', isAuditor(me)],
    ['devices', 'nav.devices', true],
    ['account', 'nav.account', true],
  ];
  return (
    <nav class="nav" aria-label={t('nav.label')}>
      {chat && (
        <a href="#/" data-testid="nav-chat" aria-current={chatPage ? 'page' : undefined}>
          {t('nav.chat')}<NavUnread chat={chat} />
        </a>
      )}
      {items.filter(([, , shown]) => shown).map(([path, key]) => (
        <a key={path} href={`#/${path}`} data-testid={`nav-${path}`}
          aria-current={page === path || (path === 'home' && page === '' && !chat) ? 'page' : undefined}>{t(key)}</a>
      ))}
    </nav>
  );
}

/** The unread total beside the chat link (`nav-unread`). */
function NavUnread({ chat }: { chat: Chat }) {
  const unread = totalUnread(useChat(chat));
  if (unread === 0) return null;
  return <span class="unread-badge nav-badge" data-testid="nav-unread">{unread > 999 ? '999+' : unread}</span>;
}

function Screen({ me, reloadMe }: { me: Me; reloadMe: () => Promise<void> }) {
  const [page, id] = useRoute();
  const orgId = me.orgId;
  if (page === 'account') return <Account me={me} reloadMe={reloadMe} />;
  if (page === 'orgs' && isOperator(me)) return <Orgs />;
  if (page === 'devices') return <MyDevices />;
  if (page === 'device-admin' && orgId && canManageDevices(me)) return <DeviceAdmin orgId={orgId} me={me} />;
  if (page === 'exports' && orgId && isAuditor(me)) return <Exports orgId={orgId} me={me} />;
  if (orgId && isOrgAdmin(me)) {
    if (page === 'users' && id) return <UserEdit key={id} orgId={orgId} userId={id} me={me} />;
    if (page === 'users') return <Users orgId={orgId} me={me} />;
    if (page === 'departments') return <Departments orgId={orgId} />;
    if (page === 'settings' && isOwner(me)) return <OrgSettings orgId={orgId} />;
    if (page === 'policy') return <Policy orgId={orgId} me={me} />;
    if (page === 'audit') return <AuditLog orgId={orgId} />;
    if (page === 'retention') return <Retention orgId={orgId} me={me} />;
  }
  return <Home me={me} />;
}
