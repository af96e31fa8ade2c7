import { useRef, useState } from 'preact/hooks';
import type { Chat } from '../../chat/chat';
import { ALL_WORDS, extractMentions, insertMention, matchPeople, mentionQuery } from '../../chat/mentions';
import type { RoomState } from '../../chat/store';
import type { MessageView } from '../../gateway/frames';
import { t } from '../../i18n/i18n';
import { isComposing } from './MessageItem';

const MAX_TEXT = 10_000;

interface Option {
  key: string;
  label: string;
  insert: string;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line, and Enter that confirms a Japanese IME
 * conversion does neither. Typing `@` offers the room's members and `@all`; a reply shows what it quotes.
 */
export function Composer({ chat, room, replyTo, onCancelReply, onSent }: {
  chat: Chat;
  room: RoomState;
  replyTo: MessageView | null;
  onCancelReply: () => void;
  onSent: () => void;
}) {
  const [text, setText] = useState('');
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [highlight, setHighlight] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const composing = useRef(false);

  const members = (room.members ?? []).filter((m) => m.userId !== chat.me.id);
  const options: Option[] = query === null ? [] : [
    ...matchPeople(members, query.query).map((m) => ({ key: m.userId, label: m.displayName, insert: m.displayName })),
    ...(room.kind === 'group' && ALL_WORDS.some((w) => w.startsWith(query.query.toLowerCase()))
      ? [{ key: 'all', label: t('chat.mentionAll'), insert: query.query && '全員'.startsWith(query.query) ? '全員' : 'all' }] : []),
  ].slice(0, 8);

  function updateQuery(value: string, caret: number) {
    const q = mentionQuery(value, caret);
    setQuery(q);
    setHighlight(0);
  }

  function choose(option: Option) {
    if (!query || !input.current) return;
    const caret = input.current.selectionStart ?? text.length;
    const next = insertMention(text, query.start, caret, option.insert);
    setText(next.text);
    setQuery(null);
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(next.caret, next.caret);
    });
  }

  function send() {
    if (!text.trim()) return;
    const { mentions, mentionAll } = extractMentions(text, members, chat.me.id);
    chat.send(room.id, text, { replyTo, mentions, mentionAll: room.kind === 'group' && mentionAll });
    setText('');
    setQuery(null);
    onSent();
    input.current?.focus();
  }

  function keyDown(e: KeyboardEvent) {
    if (isComposing(e) || composing.current) return;
    if (options.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setHighlight((h) => (h + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        choose(options[highlight] ?? options[0]);
        return;
      }
      if (e.key === 'Escape') {
        setQuery(null);
        return;
      }
    }
    if (e.key === 'Escape' && replyTo) onCancelReply();
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      send();
    }
  }

  return (
    <form class="composer" onSubmit={(e) => { e.preventDefault(); send(); }}>
      {replyTo && (
        <div class="composer-reply" data-testid="reply-preview">
          <span class="composer-reply-label">{t('chat.replyingTo', { name: replyTo.senderName })}</span>
          <span class="composer-reply-text">{replyTo.deleted ? t('chat.deletedMessage') : replyTo.text}</span>
          <button type="button" class="link" data-testid="reply-cancel" onClick={onCancelReply}>{t('common.cancel')}</button>
        </div>
      )}
      {options.length > 0 && (
        <ul class="mention-picker" data-testid="mention-picker" role="listbox" aria-label={t('chat.mentionPicker')}>
          {options.map((o, i) => (
            <li key={o.key} role="option" aria-selected={i === highlight} data-testid={`mention-option-${o.key}`}
              onMouseDown={(e) => { e.preventDefault(); choose(o); }}>
              @{o.label}
            </li>
          ))}
        </ul>
      )}
      <div class="composer-row">
        <textarea ref={input} data-testid="message-input" value={text} maxLength={MAX_TEXT} aria-label={t('chat.inputLabel')}
          placeholder={t('chat.inputPlaceholder')} title={t('chat.inputHint')} rows={Math.min(6, Math.max(1, text.split('\n').length))}
          onInput={(e) => {
            const el = e.currentTarget;
            setText(el.value);
            updateQuery(el.value, el.selectionStart ?? el.value.length);
            if (el.value.trim()) chat.typing(room.id);
          }}
          onClick={(e) => updateQuery(e.currentTarget.value, e.currentTarget.selectionStart ?? 0)}
          onCompositionStart={() => { composing.current = true; }}
          onCompositionEnd={(e) => {
            composing.current = false;
            updateQuery(e.currentTarget.value, e.currentTarget.selectionStart ?? e.currentTarget.value.length);
          }}
          onKeyDown={keyDown} />
        <button type="submit" class="button primary send" data-testid="send-button" disabled={!text.trim()} title={t('chat.inputHint')}>
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}
