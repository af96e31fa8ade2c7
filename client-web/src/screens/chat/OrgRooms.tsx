import { api } from '../../api/client';
import type { Chat } from '../../chat/chat';
import { ErrorMessage } from '../../components/ui';
import { useLoad } from '../../hooks';
import { t } from '../../i18n/i18n';

/**
 * For organization owners: every room of the organization, to open one read-only (each read is recorded in the
 * audit log, which the screen says). Names and sizes only; no content is loaded here.
 */
export function OrgRooms({ chat }: { chat: Chat }) {
  const orgId = chat.me.orgId ?? '';
  const rooms = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/rooms', { params: { orgId } }), [orgId]);
  return (
    <section class="panel" data-testid="org-rooms">
      <header class="panel-head">
        <a class="room-back" href="#/" aria-label={t('chat.backToList')}>‹</a>
        <h2>{t('chat.orgRoomsTitle')}</h2>
      </header>
      <div class="panel-body stack">
        <p class="muted small" data-testid="org-rooms-audit-note">{t('chat.orgRoomsAudit')}</p>
        <ErrorMessage error={rooms.error} />
        <ul class="directory-list" data-testid="org-rooms-list">
          {(rooms.data ?? []).map((r) => (
            <li key={r.id} class="directory-row" data-testid={`org-room-${r.id}`}>
              <span class="directory-name">{r.name}</span>
              <span class="directory-dept muted">
                {r.kind === 'direct' ? t('chat.orgRoomsDirect') : t('chat.orgRoomsMembers', { n: r.memberCount })}
                {r.archived ? ` · ${t('chat.orgRoomsArchived')}` : ''}
              </span>
              <a class="button small" href={`#/rooms/${r.id}`} data-testid={`org-room-open-${r.id}`}>{t('chat.orgRoomsOpen')}</a>
            </li>
          ))}
          {rooms.data && rooms.data.length === 0 && <li class="muted" data-testid="org-rooms-empty">{t('chat.noRooms')}</li>}
        </ul>
      </div>
    </section>
  );
}
