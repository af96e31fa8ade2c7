import { useState } from 'preact/hooks';
import { useNotificationPermission } from '../../chat/browser';
import type { Chat } from '../../chat/chat';
import { withControlsShown } from '../../chat/invisible';
import { sortedRooms, unreadCount, unreadMentionCount, type RoomState } from '../../chat/store';
import { shortTime } from '../../format';
import { lang, t } from '../../i18n/i18n';
import { isOwner } from '../../roles';
import { Avatar, ConnectionStatus, PresenceDot, presenceOf } from './parts';

/** The caller's rooms, newest activity first, with unread counts; links to new rooms and direct talks. */
export function RoomList({ chat, activeId }: { chat: Chat; activeId: string | null }) {
  const [filter, setFilter] = useState('');
  const [permission, askPermission] = useNotificationPermission();
  const state = chat.state;
  const needle = filter.trim().toLowerCase();
  const rooms = sortedRooms(state).filter((r) => !needle || r.name.toLowerCase().includes(needle));

  return (
    <section class="room-list-pane" aria-label={t('chat.rooms')}>
      <div class="room-list-head">
        <h1>{t('chat.rooms')}</h1>
        <div class="room-list-actions">
          <a class="button small primary" href="#/new-room" data-testid="new-room">{t('chat.newRoom')}</a>
          <a class="button small" href="#/directory" data-testid="new-direct">{t('chat.newDirect')}</a>
          {isOwner(chat.me) && <a class="button small" href="#/org-rooms" data-testid="org-rooms-open">{t('chat.orgRooms')}</a>}
        </div>
      </div>
      <div class="room-list-tools">
        <ConnectionStatus chat={chat} />
        {permission === 'default' && (
          <button type="button" class="link" data-testid="notify-enable" onClick={askPermission}>{t('chat.notifyEnable')}</button>
        )}
        {permission === 'denied' && <span class="muted small" data-testid="notify-denied">{t('chat.notifyDenied')}</span>}
      </div>
      <input type="search" class="room-search" data-testid="room-search" value={filter} placeholder={t('chat.searchRooms')}
        aria-label={t('chat.searchRooms')} onInput={(e) => setFilter(e.currentTarget.value)} />
      {rooms.length === 0 && <p class="muted room-list-empty" data-testid="room-list-empty">{needle ? t('chat.noMatch') : t('chat.noRooms')}</p>}
      <ul class="room-list" data-testid="room-list">
        {rooms.map((room) => <RoomItem key={room.id} chat={chat} room={room} active={room.id === activeId} />)}
      </ul>
    </section>
  );
}

function RoomItem({ chat, room, active }: { chat: Chat; room: RoomState; active: boolean }) {
  const unread = unreadCount(room);
  const mentioned = unreadMentionCount(room, chat.me.id);
  const last = room.lastMessage;
  return (
    <li>
      <a class={`room-item${unread > 0 ? ' unread' : ''}`} href={`#/rooms/${room.id}`} data-testid={`room-item-${room.id}`}
        data-id={room.id} aria-current={active ? 'page' : undefined}>
        <Avatar id={room.id} name={room.name}>
          {room.kind === 'direct' && room.peerId && (
            <PresenceDot userId={room.peerId} status={presenceOf(chat.state.presence, room.peerId)} />
          )}
        </Avatar>
        <span class="room-item-main">
          <span class="room-item-top">
            <span class="room-item-name" data-testid={`room-name-${room.id}`}>
              {room.name}
              {room.kind === 'group' && <span class="room-item-count">({room.memberCount})</span>}
            </span>
            {last && <time class="room-item-time" dateTime={last.sentAt}>{shortTime(last.sentAt, lang())}</time>}
          </span>
          <span class="room-item-bottom">
            <span class="room-item-last" data-testid={`room-last-${room.id}`}>
              {room.archived && <span class="tag">{t('chat.archivedTag')}</span>}
              {last ? lastLine(room, chat.me.id) : ''}
            </span>
            {mentioned > 0 && <span class="mention-mark" data-testid={`room-mention-${room.id}`} title={t('chat.mentioned')}>@</span>}
            {unread > 0 && (
              <span class="unread-badge" data-testid={`room-unread-${room.id}`} aria-label={t('chat.unread', { count: unread })}>
                {unread > 999 ? '999+' : unread}
              </span>
            )}
          </span>
        </span>
      </a>
    </li>
  );
}

function lastLine(room: RoomState, me: string): string {
  const m = room.lastMessage!;
  const text = m.deleted ? t('chat.deleted') : withControlsShown((m.text ?? '').replace(/\s+/g, ' '));
  if (m.senderId === me) return `${t('chat.you')}: ${text}`;
  return room.kind === 'direct' ? text : `${m.senderName}: ${text}`;
}
