import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CheckResult, Finding } from '../../api/policy';
import { DraftChecker } from '../../chat/check';
import type { Chat } from '../../chat/chat';
import { withControlsShown } from '../../chat/invisible';
import { ALL_WORDS, extractMentions, insertMention, matchPeople, mentionQuery } from '../../chat/mentions';
import type { RoomState } from '../../chat/store';
import type { MessageView } from '../../gateway/frames';
import { t } from '../../i18n/i18n';
import { isComposing } from './MessageItem';
import { BlockedNotice, ConfirmDialog, HighlightLayer, PolicyHint } from './policy';

const MAX_TEXT = 10_000;

interface Option {
  key: string;
  label: string;
  insert: string;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line, and Enter that confirms a Japanese IME
 * conversion does neither. Typing `@` offers the room's members and `@all`; a reply shows what it quotes.
 *
 * Importance classes (POLICY.md): the draft is checked while it is typed (debounced, silent on failure) and a
 * quiet hint says when it would be refused. A draft the check expects to be refused stays in the box while it is
 * sent ("held"); others are cleared at once and shown greyed. A send refused with `content_blocked` comes back to
 * the box (never lost, never in the timeline) with its findings marked; `confirmation_required` asks in a dialog
 * and, confirmed, goes again with `confirmed: true` under a new request id.
 */
export function Composer({ chat, room, replyTo, onCancelReply, onSent, onRestoreReply }: {
  chat: Chat;
  room: RoomState;
  replyTo: MessageView | null;
  onCancelReply: () => void;
  onSent: () => void;
  /** A refused send that quoted a message comes back with its reply. */
  onRestoreReply?: (m: MessageView) => void;
}) {
  const [text, setText] = useState('');
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [highlight, setHighlight] = useState(0);
  const [check, setCheck] = useState<{ text: string; result: CheckResult | null } | null>(null);
  /** The send the box holds (the check expected a refusal): its id and text. */
  const [held, setHeld] = useState<{ id: string; text: string } | null>(null);
  const [checking, setChecking] = useState(false);
  const [scrollTop, setScrollTop] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const composing = useRef(false);
  const textNow = useRef(text);
  textNow.current = text;
  const busy = useRef(false);

  const checker = useMemo(() => new DraftChecker((draft, signal) => chat.checkDraft(room.id, draft, signal)), [chat, room.id]);
  useEffect(() => {
    checker.onResult = (draft, result) => setCheck({ text: draft, result });
    return () => checker.stop();
  }, [checker]);
  // A new ceiling or emergency: what the check said may no longer hold.
  const policyKey = room.policy ? `${room.policy.effectiveCeiling}/${room.policy.emergency?.state ?? ''}` : '';
  const firstPolicy = useRef(true);
  useEffect(() => {
    if (firstPolicy.current) {
      firstPolicy.current = false;
      return;
    }
    checker.invalidate();
  }, [policyKey]);

  const refused = room.refused;
  // A refusal that arrives: the held draft is still in the box; one sent optimistically comes back to an empty box.
  useEffect(() => {
    if (!refused) return;
    if (held?.id === refused.id) setHeld(null);
    if (!textNow.current) {
      setDraft(refused.text);
      if (refused.replyTo && onRestoreReply) {
        const quoted = room.messages.find((m) => m.id === refused.replyTo!.messageId);
        if (quoted) onRestoreReply(quoted);
      }
    }
    if (refused.code === 'content_blocked') input.current?.focus();
  }, [refused?.id]);

  // The held send is answered: stored (the box empties) or failed otherwise (it shows in the timeline to retry).
  const heldPending = held ? room.pending.find((p) => p.id === held.id) : undefined;
  useEffect(() => {
    if (!held || (heldPending && heldPending.status === 'sending') || refused?.id === held.id) return;
    if (textNow.current === held.text) setDraft('');
    setHeld(null);
    onSent();
  }, [held, heldPending?.status, refused?.id]);

  const members = (room.members ?? []).filter((m) => m.userId !== chat.me.id);
  const options: Option[] = query === null ? [] : [
    ...matchPeople(members, query.query).map((m) => ({ key: m.userId, label: m.displayName, insert: m.displayName })),
    ...(room.kind === 'group' && ALL_WORDS.some((w) => w.startsWith(query.query.toLowerCase()))
      ? [{ key: 'all', label: t('chat.mentionAll'), insert: query.query && '全員'.startsWith(query.query) ? '全員' : 'all' }] : []),
  ].slice(0, 8);

  /** Sets the text from code (not typing), and tells the checker. */
  function setDraft(value: string) {
    setText(value);
    textNow.current = value;
    checker.update(value);
  }

  function updateQuery(value: string, caret: number) {
    const q = mentionQuery(value, caret);
    setQuery(q);
    setHighlight(0);
  }

  function choose(option: Option) {
    if (!query || !input.current) return;
    const caret = input.current.selectionStart ?? text.length;
    const next = insertMention(text, query.start, caret, option.insert);
    setDraft(next.text);
    setQuery(null);
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(next.caret, next.caret);
    });
  }

  async function send() {
    const draft = text;
    if (!draft.trim() || busy.current || held) return;
    const { mentions, mentionAll } = extractMentions(draft, members, chat.me.id);
    const online = chat.status === 'online';
    let result = checker.known(draft);
    if (result === undefined && online) {
      // Typed and sent within the check's delay: ask now (a second at most), so that a message the server will
      // refuse never leaves the box.
      busy.current = true;
      setChecking(true);
      try {
        result = await checker.now(draft);
      } finally {
        busy.current = false;
        setChecking(false);
      }
      // Typing went on meanwhile: this Enter no longer sends what is in the box.
      if (textNow.current !== draft) return;
    }
    const hold = online && (result?.verdict === 'block' || result?.verdict === 'warn');
    const id = chat.send(room.id, draft, { replyTo, mentions, mentionAll: room.kind === 'group' && mentionAll, held: hold });
    setQuery(null);
    if (hold) {
      setHeld({ id, text: draft });
    } else {
      setDraft('');
      onSent();
    }
    input.current?.focus();
  }

  function confirmSend() {
    if (!refused) return;
    const sentText = refused.text;
    if (chat.confirmRefused(room.id) === null) return;
    if (textNow.current === sentText) setDraft('');
    onSent();
    input.current?.focus();
  }

  function cancelConfirm() {
    if (!refused) return;
    if (!textNow.current) setDraft(refused.text);
    chat.dismissRefused(room.id, refused.id);
    requestAnimationFrame(() => input.current?.focus());
  }

  function select(f: Finding) {
    const el = input.current;
    if (!el || !refused || textNow.current !== refused.text) return;
    el.focus();
    el.setSelectionRange(f.start, f.end);
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
      void send();
    }
  }

  // What to mark in the box: the refused send's findings while the text is still that send's, else the check's.
  const blocked = refused?.code === 'content_blocked' ? refused : null;
  const current = check && check.text === text ? check.result : null;
  const marks: Finding[] = blocked && blocked.text === text ? blocked.findings
    : current && current.verdict !== 'allow' ? current.findings : [];
  const showMarks = marks.some((f) => f.verdict !== 'allow');
  const ceiling = room.policy?.effectiveCeiling ?? null;

  return (
    <form class="composer" onSubmit={(e) => { e.preventDefault(); void send(); }}>
      {replyTo && (
        <div class="composer-reply" data-testid="reply-preview">
          <span class="composer-reply-label">{t('chat.replyingTo', { name: replyTo.senderName })}</span>
          <span class="composer-reply-text">{replyTo.deleted ? t('chat.deletedMessage') : withControlsShown(replyTo.text ?? '')}</span>
          <button type="button" class="link" data-testid="reply-cancel" onClick={onCancelReply}>{t('common.cancel')}</button>
        </div>
      )}
      {blocked && (
        <BlockedNotice text={blocked.text} findings={blocked.findings} ceiling={ceiling} onSelect={select} explainId="policy-blocked-explain"
          onDismiss={() => chat.dismissRefused(room.id, blocked.id)}>
          {text !== blocked.text && (
            <button type="button" class="button small" data-testid="policy-restore" onClick={() => setDraft(blocked.text)}>
              {t('policy.restore')}
            </button>
          )}
        </BlockedNotice>
      )}
      {refused?.code === 'confirmation_required' && (
        <ConfirmDialog text={refused.text} findings={refused.findings} onConfirm={confirmSend} onCancel={cancelConfirm} />
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
        <div class={`composer-input${showMarks ? ' marked' : ''}`}>
          {showMarks && <HighlightLayer text={text} findings={marks} scrollTop={scrollTop} />}
          <textarea ref={input} data-testid="message-input" value={text} maxLength={MAX_TEXT} aria-label={t('chat.inputLabel')}
            placeholder={t('chat.inputPlaceholder')} title={t('chat.inputHint')} rows={Math.min(6, Math.max(1, text.split('\n').length))}
            aria-invalid={blocked && blocked.text === text ? true : undefined}
            aria-describedby={blocked ? 'policy-blocked-explain' : undefined}
            data-held={held ? 'true' : undefined}
            onInput={(e) => {
              const el = e.currentTarget;
              setText(el.value);
              textNow.current = el.value;
              checker.update(el.value);
              updateQuery(el.value, el.selectionStart ?? el.value.length);
              if (el.value.trim()) chat.typing(room.id);
            }}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
            onClick={(e) => updateQuery(e.currentTarget.value, e.currentTarget.selectionStart ?? 0)}
            onCompositionStart={() => { composing.current = true; }}
            onCompositionEnd={(e) => {
              composing.current = false;
              updateQuery(e.currentTarget.value, e.currentTarget.selectionStart ?? e.currentTarget.value.length);
            }}
            onKeyDown={keyDown} />
        </div>
        <button type="submit" class="button primary send" data-testid="send-button" disabled={!text.trim() || !!held || checking}
          title={t('chat.inputHint')}>
          {held || checking ? t('chat.sending') : t('chat.send')}
        </button>
      </div>
      {!blocked && current && <PolicyHint result={current} />}
    </form>
  );
}
