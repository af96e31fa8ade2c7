import { useEffect, useState } from 'preact/hooks';
import type { Chat } from '../../chat/chat';
import { useChat, useRoute } from '../../hooks';
import { t } from '../../i18n/i18n';
import { Directory } from './Directory';
import { isOwner } from '../../roles';
import { NewRoom } from './NewRoom';
import { OrgRooms } from './OrgRooms';
import { RoomList } from './RoomList';
import { RoomSettings } from './RoomSettings';
import { RoomView } from './RoomView';
import { SearchView } from './SearchView';
import { seqFromRoute } from '../../search/query';

/**
 * The chat: the room list on the left and, on the right, a room (`#/rooms/{id}`, or opened at a message:
 * `#/rooms/{id}/at/{seq}`), its settings (`#/rooms/{id}/settings`), a new group (`#/new-room`), the directory
 * (`#/directory`), the results of a message search (`#/search/…`) or, for owners, all rooms of the organization
 * (`#/org-rooms`). On narrow screens only one of the two shows.
 */
export function ChatScreen({ chat }: { chat: Chat }) {
  useChat(chat);
  const [page = '', id, sub, subId] = useRoute();
  const [gone, setGone] = useState<string | null>(null);
  const roomId = page === 'rooms' && id ? id : null;

  useEffect(() => chat.onRoomGone((left) => {
    if (location.hash.startsWith(`#/rooms/${left}`)) {
      setGone(left);
      location.hash = '#/';
    }
  }), [chat]);
  useEffect(() => {
    if (roomId) setGone(null);
  }, [roomId]);

  let main = null;
  if (roomId && sub === 'settings') main = <RoomSettings key={roomId} chat={chat} roomId={roomId} />;
  else if (roomId) main = <RoomView key={roomId} chat={chat} roomId={roomId} at={seqFromRoute(sub, subId)} />;
  else if (page === 'search') main = <SearchView chat={chat} route={id} />;
  else if (page === 'new-room') main = <NewRoom chat={chat} />;
  else if (page === 'directory') main = <Directory chat={chat} />;
  else if (page === 'org-rooms' && isOwner(chat.me)) main = <OrgRooms chat={chat} />;

  return (
    <div class={`chat${main ? ' has-main' : ''}`}>
      <RoomList chat={chat} activeId={roomId} />
      <div class="chat-main">
        {main ?? (
          <div class="chat-empty">
            {gone && <p class="alert alert-success" role="status" data-testid="room-gone">{t('chat.roomGone')}</p>}
            <p class="muted">{t('chat.pickRoom')}</p>
          </div>
        )}
      </div>
    </div>
  );
}
