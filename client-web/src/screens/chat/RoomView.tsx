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

/** Opening a room at one message (`#/rooms/{id}/at/{seq}`): reading the history around it, then its outcome. */
export interface Jump {
  seq: number;
  state: 'loading' | 'found' | 'missing';
  /** What was held made way for a window around the message: newer messages are read on request. */
  window: boolean;
}

/**
 * One room: its messages, who is typing, and the message box (unless the room is read-only for the caller).
 * With `at` (a search hit), the history around that message is read, and the message is scrolled to,
 * highlighted and focused.
 */
export function RoomView({ chat, roomId, at = null }: { chat: Chat; roomId: string; at?: number | null }) {
  const [replyTo, setReplyTo] = useState<MessageView | null>(null);
  const [jump, setJump] = useState<Jump | null>(null);
  const open = useAction();
  const jumping = useAction();
  const opened = useRef<Promise<unknown>>(Promise.resolve());
  const room: RoomState | undefined = chat.state.rooms[roomId];

  useEffect(() => {
    setReplyTo(null);
    chat.setActiveRoom(roomId);
    const opening = chat.openRoom(roomId);
    opened.current = opening.catch(() => {});
    void open.run(() => opening);
    return () => chat.setActiveRoom(null);
  }, [chat, roomId]);

  useEffect(() => {
    setJump(at === null ? null : { seq: at, state: 'loading', window: false });
    if (at === null) return;
    let live = true;
    void jumping.run(async () => {
      await opened.current;
      const result = await chat.openAt(roomId, at);
      if (live) setJump({ seq: at, state: result.found ? 'found' : 'missing', window: result.window });
    });
    return () => {
      live = false;
    };
  }, [chat, roomId, at]);

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
      {jump?.state === 'missing' && <p class="banner" data-testid="jump-missing" role="status">{t('search.jumpMissing')}</p>}
      <MessageList chat={chat} room={room} canAct={canPost} onReply={setReplyTo} jump={jump} />
      {(open.error ?? jumping.error) && <div class="room-pad"><ErrorMessage error={open.error ?? jumping.error} /></div>}
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
 * top (or the button there) reads older history, keeping the view where it was. Once a jump has found its
 * message, the message is scrolled to the middle, highlighted and focused; when the jump left a window of the
 * history, a button at the bottom reads newer messages.
 */
function MessageList({ chat, room, canAct, onReply, jump }: {
  chat: Chat; room: RoomState; canAct: boolean; onReply: (m: MessageView) => void; jump: Jump | null;
}) {
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const before = useRef<{ first: number | undefined; height: number }>({ first: undefined, height: 0 });
  const older = useAction();
  const newer = useAction();
  const messages = room.messages;
  const first = messages[0]?.seq;
  const target = jump?.state === 'found' ? jump.seq : null;

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

  // After the effect above, so that its keeping of the position does not move the view off the message.
  useLayoutEffect(() => {
    const el = box.current;
    const item = target === null ? null : el?.querySelector<HTMLElement>(`[data-seq="${target}"]`);
    if (!el || !item) return;
    atBottom.current = false;
    item.scrollIntoView({ block: 'center' });
    item.focus({ preventScroll: true });
    before.current = { first, height: el.scrollHeight };
  }, [target]);

  useEffect(() => {
    atBottom.current = true;
  }, [room.id]);

  function loadNewer() {
    if (newer.busy) return;
    atBottom.current = false;
    void newer.run(() => chat.loadNewer(room.id));
  }

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
            <MessageItem chat={chat} room={room} message={m} showSender={showSender} canAct={canAct} onReply={onReply}
              target={m.seq === target} />
          </Fragment>
        );
      })}
      {jump?.window && room.syncedSeq < room.lastSeq && messages.length > 0 && (
        <button type="button" class="link load-older" data-testid="load-newer" disabled={newer.busy} onClick={loadNewer}>
          {newer.busy ? t('common.loading') : t('chat.loadNewer')}
        </button>
      )}
      <ErrorMessage error={newer.error} />
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
