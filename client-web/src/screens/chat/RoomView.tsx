import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { isApiError } from '../../api/client';
import type { Chat } from '../../chat/chat';
import { typingIn, type RoomState } from '../../chat/store';
import { ErrorMessage } from '../../components/ui';
import { dayKey, dayLabel } from '../../format';
import type { MessageView } from '../../gateway/frames';
import { useAction } from '../../hooks';
import { lang, t } from '../../i18n/i18n';
import { Composer } from './Composer';
import { MessageItem, PendingItem } from './MessageItem';
import { PresenceDot, presenceOf } from './parts';
import { classLabel, EmergencyBanner } from './policy';

/** One room: its messages, who is typing, and the message box (unless the room is read-only for the caller). */
export function RoomView({ chat, roomId }: { chat: Chat; roomId: string }) {
  const [replyTo, setReplyTo] = useState<MessageView | null>(null);
  const open = useAction();
  const room: RoomState | undefined = chat.state.rooms[roomId];

  useEffect(() => {
    setReplyTo(null);
    chat.setActiveRoom(roomId);
    void open.run(() => chat.openRoom(roomId));
    return () => chat.setActiveRoom(null);
  }, [chat, roomId]);

  if (!room) {
    const forbidden = isApiError(open.error, 'forbidden');
    return (
      <section class="room-view">
        <RoomHead chat={chat} room={null} />
        {open.error && forbidden && <p class="banner" data-testid="room-error">{t('chat.roomForbidden')}</p>}
        {open.error && !forbidden && <div class="room-pad"><ErrorMessage error={open.error} /></div>}
        {!open.error && <p class="muted room-pad">{t('common.loading')}</p>}
      </section>
    );
  }
  const nonMember = !room.member;
  const canPost = room.member && !room.archived;
  return (
    <section class="room-view" data-testid="room-view" data-room-id={room.id}>
      <RoomHead chat={chat} room={room} />
      <EmergencyBanner policy={room.policy} />
      {nonMember && <p class="banner" data-testid="readonly-banner" role="note">{t('chat.readOnlyOwner')}</p>}
      {room.archived && <p class="banner" data-testid="archived-banner" role="note">{t('chat.archivedBanner')}</p>}
      <MessageList chat={chat} room={room} canAct={canPost} onReply={setReplyTo} />
      {open.error && <div class="room-pad"><ErrorMessage error={open.error} /></div>}
      <Typing chat={chat} room={room} />
      {canPost && (
        <Composer chat={chat} room={room} replyTo={replyTo} onCancelReply={() => setReplyTo(null)} onSent={() => setReplyTo(null)}
          onRestoreReply={setReplyTo} />
      )}
    </section>
  );
}

function RoomHead({ chat, room }: { chat: Chat; room: RoomState | null }) {
  return (
    <header class="room-head">
      <a class="room-back" href="#/" data-testid="room-back" aria-label={t('chat.backToList')}>‹</a>
      {room && (
        <>
          <h2 class="room-title" data-testid="room-title">{room.name}</h2>
          {room.kind === 'direct' && room.peerId && (
            <PresenceDot userId={room.peerId} status={presenceOf(chat.state.presence, room.peerId)} testid="room-presence" />
          )}
          {room.kind === 'group' && <span class="muted room-members">{t('chat.members', { count: room.memberCount })}</span>}
          {room.policy && (
            <span class={`badge ceiling ceiling-${room.policy.effectiveCeiling}`} data-testid="room-ceiling"
              data-ceiling={room.policy.effectiveCeiling} title={t('policy.settings.current', { class: classLabel(room.policy.effectiveCeiling) })}>
              {t('policy.ceilingBadge', { class: room.policy.effectiveCeiling })}
            </span>
          )}
          <a class="button small room-settings-open" href={`#/rooms/${room.id}/settings`} data-testid="room-settings-open">
            {t('chat.settings')}
          </a>
        </>
      )}
    </header>
  );
}

/**
 * The messages, oldest at the top. Scrolled to the newest while the reader is at the bottom; scrolling to the
 * top (or the button there) reads older history, keeping the view where it was.
 */
function MessageList({ chat, room, canAct, onReply }: {
  chat: Chat; room: RoomState; canAct: boolean; onReply: (m: MessageView) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const before = useRef<{ first: number | undefined; height: number }>({ first: undefined, height: 0 });
  const older = useAction();
  const messages = room.messages;
  const first = messages[0]?.seq;

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const prev = before.current;
    if (prev.first !== undefined && first !== undefined && first < prev.first && !atBottom.current) {
      el.scrollTop += el.scrollHeight - prev.height;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    before.current = { first, height: el.scrollHeight };
  });

  useEffect(() => {
    atBottom.current = true;
  }, [room.id]);

  function loadOlder() {
    if (room.reachedStart || older.busy) return;
    void older.run(() => chat.loadOlder(room.id));
  }

  function scrolled() {
    const el = box.current!;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (el.scrollTop < 60) loadOlder();
  }

  return (
    <div class="messages" ref={box} onScroll={scrolled} data-testid="message-list" aria-live="polite">
      {!room.reachedStart && messages.length > 0 && (
        <button type="button" class="link load-older" data-testid="load-older" disabled={older.busy} onClick={loadOlder}>
          {older.busy ? t('common.loading') : t('chat.loadOlder')}
        </button>
      )}
      {room.reachedStart && messages.length > 0 && <p class="muted history-start" data-testid="history-start">{t('chat.historyStart')}</p>}
      {room.reachedStart && messages.length === 0 && room.pending.length === 0 && (
        <p class="muted history-start" data-testid="room-empty">{t('chat.noMessages')}</p>
      )}
      <ErrorMessage error={older.error} />
      {messages.map((m, i) => {
        const prev = messages[i - 1];
        const newDay = !prev || dayKey(prev.sentAt) !== dayKey(m.sentAt);
        const showSender = newDay || prev.senderId !== m.senderId;
        return (
          <Fragment key={m.seq}>
            {newDay && <div class="day"><span>{dayLabel(m.sentAt, lang())}</span></div>}
            <MessageItem chat={chat} room={room} message={m} showSender={showSender} canAct={canAct} onReply={onReply} />
          </Fragment>
        );
      })}
      {room.pending.filter((p) => !(p.held && p.status === 'sending')).map((p) => <PendingItem key={p.id} chat={chat} pending={p} />)}
    </div>
  );
}

/** "○○さんが入力中…" */
function Typing({ chat, room }: { chat: Chat; room: RoomState }) {
  const ids = typingIn(chat.state, room.id, Date.now());
  if (ids.length === 0) return null;
  const names = ids.map((id) => room.members?.find((m) => m.userId === id)?.displayName ?? [...room.messages].reverse().find((m) => m.senderId === id)?.senderName ?? '…');
  const text = names.length === 1 ? t('chat.typingOne', { name: names[0] })
    : names.length === 2 ? t('chat.typingTwo', { a: names[0], b: names[1] }) : t('chat.typingMany', { count: names.length });
  return <div class="typing" data-testid="typing-indicator" role="status">{text}</div>;
}
