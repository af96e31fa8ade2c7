/**
 * What the chat shows of POLICY.md: the findings of a refused send (masked, with the offending span marked in
 * the sender's own draft), the confirmation dialog, the quiet hint while typing, the highlight layer behind the
 * message box, and the emergency banner of a room.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import {
  context, emergencyActive, emergencyPending, findingLine, markSpans, reportable, worstClass,
  type CheckResult, type Finding, type ImportanceClass, type RoomPolicy,
} from '../../api/policy';
import { dateTime } from '../../format';
import { lang, t, type MessageKey } from '../../i18n/i18n';

/** The class label, e.g. 「区分I（マイナンバー・個人に関する情報）」. */
export function classLabel(c: ImportanceClass): string {
  return t(`policy.class.${c}` as MessageKey);
}

/** The class a refusal is about: the most sensitive one found (`I`, the usual reason, when none is readable). */
function explainedClass(findings: Finding[]): ImportanceClass {
  return findings.length === 0 ? 'I' : worstClass(findings);
}

/**
 * The findings as a readable list: `マイナンバー ****-****-9018`, and the span of the sender's text it points at,
 * marked; a button selects that span in the message box.
 */
export function FindingList({ text, findings, onSelect }: {
  text: string; findings: Finding[]; onSelect?: (f: Finding) => void;
}) {
  const shown = reportable(findings);
  if (shown.length === 0) return null;
  return (
    <ul class="finding-list" aria-label={t('policy.findings')}>
      {shown.map((f) => {
        const inText = f.end <= text.length;
        const c = inText ? context(text, f) : null;
        return (
          <li key={`${f.detector}-${f.start}-${f.end}`} class={`finding finding-${f.verdict}`} data-testid="policy-finding"
            data-detector={f.detector} data-verdict={f.verdict}>
            <span class="finding-line" data-testid="policy-finding-text">{findingLine(f, lang())}</span>
            {c && (
              <span class="finding-context">
                {c.before}<mark class={`finding-mark verdict-${f.verdict}`} data-testid="policy-finding-mark">{c.marked}</mark>{c.after}
              </span>
            )}
            {c && onSelect && (
              <button type="button" class="link finding-select" data-testid="policy-finding-select" onClick={() => onSelect(f)}>
                {t('policy.select')}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** A send refused with `content_blocked`: what was found, and why this room does not take it. */
export function BlockedNotice({ text, findings, ceiling, testid = 'policy-blocked', title, explainId, onSelect, onDismiss, children }: {
  text: string;
  /** The explanation's id, for the input's `aria-describedby`. */
  explainId?: string;
  findings: Finding[];
  ceiling: ImportanceClass | null;
  testid?: string;
  title?: string;
  onSelect?: (f: Finding) => void;
  onDismiss?: () => void;
  children?: ComponentChildren;
}) {
  return (
    <div class="policy-blocked" role="alert" data-testid={testid}>
      <p class="policy-blocked-title">{title ?? t('policy.blocked.title')}</p>
      <p class="policy-blocked-explain" id={explainId} data-testid="policy-blocked-explain">
        {t('policy.blocked.explain', { class: classLabel(explainedClass(findings)) })}
      </p>
      <FindingList text={text} findings={findings} onSelect={onSelect} />
      {ceiling && <p class="policy-ceiling muted">{t('policy.settings.current', { class: classLabel(ceiling) })}</p>}
      <div class="policy-actions">
        {children}
        {onDismiss && (
          <button type="button" class="button small" data-testid="policy-blocked-dismiss" onClick={onDismiss}>{t('policy.dismiss')}</button>
        )}
      </div>
    </div>
  );
}

/**
 * `confirmation_required`: an accessible modal dialog. Focus starts on キャンセル (the safe choice), stays inside
 * the dialog (Tab cycles), Escape cancels; focus goes back where it was when it closes.
 */
export function ConfirmDialog({ text, findings, confirmLabel, onConfirm, onCancel }: {
  text: string; findings: Finding[]; confirmLabel?: string; onConfirm: () => void; onCancel: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    cancel.current?.focus();
    return () => {
      if (before && document.contains(before)) before.focus();
    };
  }, []);
  const myNumber = findings.some((f) => f.detector === 'my_number');

  function keyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const focusable = [...box.current.querySelectorAll<HTMLElement>('button:not([disabled])')];
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <div class="modal-backdrop">
      <div class="modal" ref={box} role="dialog" aria-modal="true" aria-labelledby="policy-confirm-title"
        aria-describedby="policy-confirm-body" data-testid="policy-confirm-dialog" onKeyDown={keyDown}>
        <h2 id="policy-confirm-title">{t('policy.confirm.title')}</h2>
        <div id="policy-confirm-body">
          <p>{myNumber ? t('policy.confirm.myNumber') : t('policy.confirm.general', { class: classLabel(explainedClass(findings)) })}</p>
          <FindingList text={text} findings={findings} />
          <p>{t('policy.confirm.ask')}</p>
        </div>
        <div class="form-actions modal-actions">
          <button type="button" class="button" ref={cancel} data-testid="policy-confirm-cancel" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="button" class="button danger" data-testid="policy-confirm-send" onClick={onConfirm}>
            {confirmLabel ?? t('policy.confirm.send')}
          </button>
        </div>
      </div>
    </div>
  );
}

/** The quiet hint under the message box while a draft would be refused (or goes through only by the emergency). */
export function PolicyHint({ result }: { result: CheckResult }) {
  const shown = reportable(result.findings);
  const lines = shown.map((f) => findingLine(f, lang())).join('、');
  if (result.verdict === 'block' || result.verdict === 'warn') {
    return (
      <p class={`policy-hint verdict-${result.verdict}`} data-testid="policy-hint" data-verdict={result.verdict} role="status">
        {t(result.verdict === 'block' ? 'policy.hint.block' : 'policy.hint.warn', { findings: lines })}
      </p>
    );
  }
  if (result.emergency && result.findings.some((f) => f.class === 'I')) {
    return <p class="policy-hint verdict-emergency" data-testid="policy-hint" data-verdict="emergency" role="status">{t('policy.hint.emergency')}</p>;
  }
  return null;
}

/**
 * Behind a transparent textarea: the same text, with the findings' spans marked, scrolled with it. Only the
 * marks show (the text itself is transparent); hidden from assistive technology, which gets the list instead.
 */
export function HighlightLayer({ text, findings, scrollTop }: { text: string; findings: Finding[]; scrollTop: number }) {
  const layer = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (layer.current) layer.current.scrollTop = scrollTop;
  });
  return (
    <div class="composer-highlight" ref={layer} aria-hidden="true" data-testid="policy-highlight">
      {markSpans(text, findings).map((p, i) => (p.mark ? <mark key={i} class={`verdict-${p.mark.verdict}`}>{p.text}</mark> : p.text))}
      {'\n'}
    </div>
  );
}

/**
 * The room's emergency, under its header: active (the ceiling is `I` until `endsAt`) as an alert with the
 * reason and the end; pending as a quieter notice. Disappears by itself at `endsAt`.
 */
export function EmergencyBanner({ policy }: { policy: RoomPolicy | null }) {
  const [, tick] = useState(0);
  const e = policy?.emergency ?? null;
  const endsAt = e?.state === 'active' && e.endsAt ? Date.parse(e.endsAt) : NaN;
  useEffect(() => {
    if (!Number.isFinite(endsAt)) return;
    const wait = endsAt - Date.now();
    if (wait <= 0) return;
    // Timers longer than ~24.8 days overflow; an emergency never lasts that long, but be safe.
    const timer = setTimeout(() => tick((n) => n + 1), Math.min(wait + 500, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [endsAt]);
  if (!e) return null;
  if (emergencyActive(policy)) {
    return (
      <div class="emergency-banner" role="alert" data-testid="emergency-banner" data-state="active">
        <strong>{t('policy.emergency.banner')}</strong>
        {e.endsAt && <span data-testid="emergency-ends">{t('policy.emergency.until', { time: dateTime(e.endsAt, lang()) })}</span>}
        <span data-testid="emergency-reason">{t('policy.emergency.reason', { reason: e.reason })}</span>
        <span class="emergency-audited">{t('policy.emergency.audited')}</span>
      </div>
    );
  }
  if (emergencyPending(policy)) {
    return (
      <div class="emergency-pending" role="status" data-testid="emergency-pending">
        <span>{t('policy.emergency.pendingBanner', { name: e.requestedByName, hours: e.hours })}</span>
        <span data-testid="emergency-pending-reason">{t('policy.emergency.reason', { reason: e.reason })}</span>
      </div>
    );
  }
  return null;
}
