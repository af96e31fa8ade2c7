import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../../api/client';
import { policyRefusal, type PolicyRefusal } from '../../api/policy';
import type { Chat } from '../../chat/chat';
import { visibleControls, withControlsShown } from '../../chat/invisible';
import { segments, type Person } from '../../chat/mentions';
import { readCount, type PendingSend, type RoomState } from '../../chat/store';
import { ConfirmButton, ErrorMessage } from '../../components/ui';
import { clockTime, dateTime } from '../../format';
import type { MessageView, ReplyRef } from '../../gateway/frames';
import { useAction } from '../../hooks';
import { lang, t } from '../../i18n/i18n';
import { Avatar } from './parts';
import { BlockedNotice, ConfirmDialog } from './policy';

/** The reactions offered in the palette. */
export const REACTIONS = ['👍', '❤️', '😄', '🙏', '😮', '🎉'];

/** One message: bubble, sender, time, 既読, quote, reactions and, on hover or focus, its actions. */
export function MessageItem({ chat, room, message, showSender, canAct, onReply, target = false }: {
  chat: Chat;
  room: RoomState;
  message: MessageView;
  /** The first of a run by the same sender shows the name and avatar. */
  showSender: boolean;
  /** The caller may post in the room (member, not archived). */
  canAct: boolean;
  onReply: (m: MessageView) => void;
  /** The message the room was opened at (a search hit): highlighted, and focusable so focus can move to it. */
  target?: boolean;
}) {
  const me = chat.me.id;
  const own = message.senderId === me;
  const seq = message.seq;
  const [editing, setEditing] = useState(false);
  const [palette, setPalette] = useState(false);
  const [readers, setReaders] = useState(false);
  const action = useAction();
  /** An edit refused for its content: the text tried, and why. */
  const [refusal, setRefusal] = useState<{ text: string; refusal: PolicyRefusal } | null>(null);
  const count = own ? readCount(room, message) : null;

  /** Saves an edit; a refusal for its content keeps the box open with the findings, or asks to confirm. */
  const save = (text: string, confirmed = false) => action.run(async () => {
    if (text !== message.text) {
      try {
        await chat.edit(room.id, message, text, confirmed);
      } catch (e) {
        const r = policyRefusal(e);
        if (!r) throw e;
        setRefusal({ text, refusal: r });
        return;
      }
    }
    setRefusal(null);
    setEditing(false);
  });
  const people: Person[] = (room.members ?? []).filter((m) => message.mentions.includes(m.userId));

  return (
    <div class={`msg ${own ? 'own' : 'other'}${showSender ? ' first' : ''}${target ? ' msg-target' : ''}`} data-testid={`message-${seq}`}
      data-seq={seq} data-sender={message.senderId} id={`msg-${room.id}-${seq}`} data-target={target ? 'true' : undefined}
      tabIndex={target ? -1 : undefined}>
      {!own && (showSender ? <Avatar id={message.senderId} name={message.senderName} /> : <span class="avatar-space" />)}
      <div class="msg-body">
        {!own && showSender && <div class="msg-sender" data-testid={`message-sender-${seq}`}>{message.senderName}</div>}
        <div class="msg-row">
          {editing ? (
            <EditBox initial={message.text ?? ''} seq={seq} onCancel={() => { setRefusal(null); setEditing(false); }}
              onSave={(text) => save(text)} />
          ) : (
            <div class={`bubble${message.deleted ? ' deleted' : ''}${mentionsMe(message, me) ? ' mentions-me' : ''}`}>
              {message.replyTo && !message.deleted && <Quote chat={chat} room={room} reply={message.replyTo} seq={seq} />}
              {message.deleted
                ? <span class="msg-deleted" data-testid={`message-text-${seq}`}>{t('chat.deletedMessage')}</span>
                : <MessageText text={message.text ?? ''} people={people} mentionAll={message.mentionAll} me={me} seq={seq} />}
              {message.editedAt && !message.deleted && <span class="msg-edited" data-testid={`message-edited-${seq}`}>{t('chat.edited')}</span>}
            </div>
          )}
          <div class="msg-meta">
            {count !== null && count > 0 && (
              <button type="button" class="read-count" data-testid={`read-count-${seq}`} data-count={count}
                aria-expanded={readers} onClick={() => setReaders(!readers)}>
                {room.kind === 'direct' ? t('chat.read') : t('chat.readCount', { count })}
              </button>
            )}
            <time dateTime={message.sentAt} title={dateTime(message.sentAt, lang())}>{clockTime(message.sentAt, lang())}</time>
          </div>
        </div>
        {message.reactions.length > 0 && (
          <div class="reactions">
            {message.reactions.map((r) => (
              <button key={r.emoji} type="button" class="reaction" data-testid={`reaction-${seq}-${r.emoji}`}
                aria-pressed={r.userIds.includes(me)} disabled={!canAct} title={names(room, r.userIds)}
                onClick={() => action.run(() => chat.toggleReaction(room.id, message, r.emoji))}>
                {r.emoji} <span class="reaction-count">{r.userIds.length}</span>
              </button>
            ))}
          </div>
        )}
        {canAct && !message.deleted && !editing && (
          <div class="msg-actions">
            <button type="button" class="icon-button" data-testid={`reply-message-${seq}`} onClick={() => onReply(message)}>
              {t('chat.reply')}
            </button>
            <button type="button" class="icon-button" data-testid={`react-message-${seq}`} aria-expanded={palette}
              onClick={() => setPalette(!palette)}>{t('chat.react')}</button>
            {own && (
              <button type="button" class="icon-button" data-testid={`edit-message-${seq}`} onClick={() => setEditing(true)}>
                {t('common.edit')}
              </button>
            )}
            {own && (
              <ConfirmButton label={t('common.delete')} question={t('chat.deleteQuestion')} testid={`delete-message-${seq}`} danger
                onConfirm={() => action.run(() => chat.remove(room.id, message))} />
            )}
          </div>
        )}
        {palette && (
          <div class="palette" role="group" aria-label={t('chat.react')}>
            {REACTIONS.map((emoji) => (
              <button key={emoji} type="button" class="palette-emoji" data-testid={`reaction-option-${emoji}`}
                onClick={() => {
                  setPalette(false);
                  action.run(() => chat.toggleReaction(room.id, message, emoji));
                }}>{emoji}</button>
            ))}
          </div>
        )}
        {editing && refusal?.refusal.code === 'content_blocked' && (
          <BlockedNotice testid={`edit-blocked-${seq}`} title={t('policy.edit.title')} text={refusal.text}
            findings={refusal.refusal.findings} ceiling={room.policy?.effectiveCeiling ?? null} />
        )}
        {editing && refusal?.refusal.code === 'confirmation_required' && (
          <ConfirmDialog text={refusal.text} findings={refusal.refusal.findings} confirmLabel={t('policy.confirm.save')}
            onConfirm={() => {
              const text = refusal.text;
              setRefusal(null);
              void save(text, true);
            }}
            onCancel={() => setRefusal(null)} />
        )}
        {readers && <Readers chat={chat} room={room} seq={seq} onClose={() => setReaders(false)} />}
        <ErrorMessage error={action.error} />
      </div>
    </div>
  );
}

/** A message the caller has sent that is not stored yet (greyed), or was refused. */
export function PendingItem({ chat, pending }: { chat: Chat; pending: PendingSend }) {
  return (
    <div class={`msg own pending ${pending.status}`} data-testid="pending-message" data-status={pending.status} data-id={pending.id}>
      <div class="msg-body">
        <div class="msg-row">
          <div class="bubble">
            {pending.replyTo && <div class="quote"><span class="quote-text">{pending.replyTo.excerpt == null ? t('chat.deletedMessage') : withControlsShown(pending.replyTo.excerpt)}</span></div>}
            <span class="msg-text"><Shown text={pending.text} /></span>
          </div>
          <div class="msg-meta">
            <span>{pending.status === 'failed' ? t('chat.failed') : pending.status === 'acked' ? '' : t('chat.sending')}</span>
          </div>
        </div>
        {pending.status === 'failed' && (
          <div class="pending-actions">
            <ErrorMessage error={pending.error} />
            <button type="button" class="button small" data-testid="pending-retry" onClick={() => chat.retry(pending.roomId, pending.id)}>
              {t('chat.retry')}
            </button>
            <button type="button" class="button small" data-testid="pending-discard" onClick={() => chat.discard(pending.roomId, pending.id)}>
              {t('chat.discard')}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

function MessageText({ text, people, mentionAll, me, seq }: { text: string; people: Person[]; mentionAll: boolean; me: string; seq: number }) {
  return (
    <span class="msg-text" data-testid={`message-text-${seq}`}>
      {segments(text, people, mentionAll, me).map((s, i) => {
        if (s.kind === 'mention') return <span key={i} class={`mention${s.self ? ' self' : ''}`}>{s.text}</span>;
        if (s.kind === 'link') return <a key={i} href={s.href} target="_blank" rel="noopener noreferrer"><Shown text={s.text} /></a>;
        return <Shown key={i} text={s.text} />;
      })}
    </span>
  );
}

/** Text with bidi controls and zero-width characters shown as marks (issue #16), so they cannot hide or reorder it. */
function Shown({ text }: { text: string }) {
  return (
    <>
      {visibleControls(text).map((v, i) => (v.kind === 'text' ? v.text
        : <span key={i} class="invisible-char" title={t('chat.invisibleChar', { code: v.code })}>{`⟨${v.code}⟩`}</span>))}
    </>
  );
}

function Quote({ chat, room, reply, seq }: { chat: Chat; room: RoomState; reply: ReplyRef; seq: number }) {
  const name = reply.senderId === chat.me.id ? t('chat.you')
    : room.members?.find((m) => m.userId === reply.senderId)?.displayName
      ?? room.messages.find((m) => m.seq === reply.seq)?.senderName ?? '';
  const jump = () => document.getElementById(`msg-${room.id}-${reply.seq}`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  return (
    <button type="button" class="quote" data-testid={`message-quote-${seq}`} onClick={jump}>
      {name && <span class="quote-name">{name}</span>}
      <span class="quote-text">{reply.excerpt == null ? t('chat.deletedMessage') : withControlsShown(reply.excerpt)}</span>
    </button>
  );
}

function EditBox({ initial, seq, onSave, onCancel }: { initial: string; seq: number; onSave: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const save = () => {
    if (text.trim()) onSave(text);
  };
  return (
    <div class="edit-box">
      <textarea data-testid={`edit-input-${seq}`} value={text} rows={Math.min(6, text.split('\n').length)} maxLength={10000}
        autoFocus aria-label={t('chat.editLabel')} onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (isComposing(e)) return;
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            save();
          } else if (e.key === 'Escape') {
            onCancel();
          }
        }} />
      <div class="edit-actions">
        <button type="button" class="button small primary" data-testid={`edit-save-${seq}`} disabled={!text.trim()} onClick={save}>
          {t('common.save')}
        </button>
        <button type="button" class="button small" data-testid={`edit-cancel-${seq}`} onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </div>
  );
}

/** Who has read a message and when, from `GET …/messages/{seq}/readers`. */
function Readers({ chat, room, seq, onClose }: { chat: Chat; room: RoomState; seq: number; onClose: () => void }) {
  const [data, setData] = useState<Schemas['MessageReaders'] | null>(null);
  const load = useAction();
  useEffect(() => {
    void load.run(async () => setData(await chat.readers(room.id, seq)));
  }, [room.id, seq]);
  return (
    <div class="readers" data-testid="readers-list" role="dialog" aria-label={t('chat.readers')}>
      <div class="readers-head">
        <strong>{t('chat.readers')}</strong>
        <button type="button" class="link" data-testid="readers-close" onClick={onClose}>{t('chat.close')}</button>
      </div>
      <ErrorMessage error={load.error} />
      {!data && !load.error && <p class="muted">{t('common.loading')}</p>}
      {data && (
        <ul>
          {data.readers.map((r) => (
            <li key={r.userId} class="reader-row" data-testid="reader-row" data-id={r.userId}>
              <span>{r.displayName}</span>
              <time dateTime={r.readAt}>{dateTime(r.readAt, lang())}</time>
            </li>
          ))}
          {data.unread.map((id) => (
            <li key={id} class="reader-row unread" data-testid="unread-row" data-id={id}>
              <span>{room.members?.find((m) => m.userId === id)?.displayName ?? id}</span>
              <span class="muted">{t('chat.notRead')}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function mentionsMe(m: MessageView, me: string): boolean {
  return m.senderId !== me && (m.mentionAll || m.mentions.includes(me));
}

function names(room: RoomState, ids: string[]): string {
  return ids.map((id) => room.members?.find((m) => m.userId === id)?.displayName ?? '').filter(Boolean).join('、');
}

/** Whether a key belongs to an IME composition (Japanese input): Enter then confirms the conversion, never sends. */
export function isComposing(e: KeyboardEvent): boolean {
  return e.isComposing || e.keyCode === 229;
}
