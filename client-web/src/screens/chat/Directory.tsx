import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Chat } from '../../chat/chat';
import { ErrorMessage } from '../../components/ui';
import { useAction, useDebounced, useLoad } from '../../hooks';
import { t } from '../../i18n/i18n';
import { Avatar, PresenceDot, presenceOf } from './parts';

/** The organization's colleagues; "talk" opens (or creates) the direct talk with one. */
export function Directory({ chat }: { chat: Chat }) {
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim(), 250);
  const directory = useLoad(() => api.call('get', '/api/v1/directory', { query: { q: q || undefined } }), [q]);
  const start = useAction();
  const people = (directory.data ?? []).filter((e) => e.id !== chat.me.id);

  // Presence of people outside the followed set is a snapshot: read it fresh.
  useEffect(() => {
    chat.loadPresence().catch(() => {});
  }, [chat]);

  const talk = (userId: string) => start.run(async () => {
    const room = await chat.openDirect(userId);
    location.hash = `#/rooms/${room.id}`;
  });

  return (
    <section class="panel" data-testid="directory">
      <header class="panel-head">
        <a class="room-back" href="#/" aria-label={t('chat.backToList')}>‹</a>
        <h2>{t('chat.directoryTitle')}</h2>
      </header>
      <div class="panel-body stack">
        <input type="search" data-testid="directory-search" value={typed} placeholder={t('picker.search')} aria-label={t('picker.search')}
          maxLength={100} autoFocus onInput={(e) => setTyped(e.currentTarget.value)} />
        <ErrorMessage error={directory.error ?? start.error} />
        <ul class="directory-list" data-testid="directory-list">
          {people.map((e) => (
            <li key={e.id} class="directory-row" data-testid={`directory-row-${e.id}`}>
              <Avatar id={e.id} name={e.displayName}>
                <PresenceDot userId={e.id} status={presenceOf(chat.state.presence, e.id)} testid={`directory-presence-${e.id}`} />
              </Avatar>
              <span class="directory-name">{e.displayName}</span>
              <span class="directory-dept muted">{e.departmentName ?? ''}</span>
              <button type="button" class="button small primary" data-testid={`start-direct-${e.id}`} disabled={start.busy}
                onClick={() => talk(e.id)}>{t('chat.talk')}</button>
            </li>
          ))}
          {directory.data && people.length === 0 && <li class="muted" data-testid="directory-empty">{t('picker.empty')}</li>}
        </ul>
      </div>
    </section>
  );
}
