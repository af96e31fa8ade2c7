import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { errorText } from '../errors';
import { t } from '../i18n/i18n';

/** A labelled form control; the label wraps the control so it is announced with it. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      {children}
      {hint && <span class="field-hint">{hint}</span>}
    </label>
  );
}

/** An error (or a notice about what went wrong) as `role=alert`; `error-message` unless another test ID is given. */
export function ErrorMessage({ error, testid = 'error-message' }: { error: unknown; testid?: string }) {
  if (error == null) return null;
  return <p class="alert alert-error" role="alert" data-testid={testid}>{errorText(error)}</p>;
}

export function SuccessMessage({ text }: { text: string | null }) {
  if (!text) return null;
  return <p class="alert alert-success" role="status" data-testid="success-message">{text}</p>;
}

/** An initial password, shown once with a copy button and a warning. */
export function InitialPassword({ title, password, onDone }: { title: string; password: string; onDone: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <section class="card once" role="status" aria-live="polite">
      <h3>{title}</h3>
      <p class="warning">{t('once.warning')}</p>
      <div class="secret-row">
        <code class="secret" data-testid="initial-password">{password}</code>
        <button type="button" class="button" data-testid="initial-password-copy" onClick={copy}>
          {copied ? t('once.copied') : t('once.copy')}
        </button>
      </div>
      {copied === false && <p class="field-hint">{t('once.copyFailed')}</p>}
      <button type="button" class="button primary" data-testid="initial-password-done" onClick={onDone}>
        {t('once.done')}
      </button>
    </section>
  );
}

/** A button that asks "are you sure?" in place before it acts; `testid-confirm` / `testid-cancel`. */
export function ConfirmButton({ label, question, testid, disabled, danger, onConfirm }: {
  label: string; question: string; testid: string; disabled?: boolean; danger?: boolean; onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const kind = danger ? 'button danger' : 'button';
  if (!asking) {
    return <button type="button" class={kind} data-testid={testid} disabled={disabled} onClick={() => setAsking(true)}>{label}</button>;
  }
  return (
    <span class="confirm">
      <span>{question}</span>
      <button type="button" class={kind} data-testid={`${testid}-confirm`}
        onClick={() => { setAsking(false); onConfirm(); }}>{label}</button>
      <button type="button" class="button" data-testid={`${testid}-cancel`} onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}

/** Longest reason the server takes for a rejection or revocation. */
export const MAX_REASON_CHARS = 500;

/**
 * A button that asks "are you sure?" in place together with a required reason (1–500 characters) before it
 * acts: `testid`, then `testid-reason` (the text), `testid-confirm` and `testid-cancel`.
 */
export function ReasonButton({ label, question, testid, danger, placeholder, disabled, onConfirm }: {
  label: string; question: string; testid: string; danger?: boolean; placeholder?: string; disabled?: boolean;
  onConfirm: (reason: string) => void;
}) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const kind = danger ? 'button danger' : 'button';
  const close = () => {
    setAsking(false);
    setReason('');
    setInvalid(false);
  };
  if (!asking) {
    return <button type="button" class={kind} data-testid={testid} disabled={disabled} onClick={() => setAsking(true)}>{label}</button>;
  }
  return (
    <form class="reason-form" role="dialog" aria-label={question} data-testid={`${testid}-dialog`} onSubmit={(e) => {
      e.preventDefault();
      const text = reason.trim();
      if (text.length === 0 || text.length > MAX_REASON_CHARS) {
        setInvalid(true);
        return;
      }
      close();
      onConfirm(text);
    }}>
      <p class="reason-question">{question}</p>
      <label class="field">
        <span class="field-label">{t('devices.reason')}</span>
        <textarea data-testid={`${testid}-reason`} value={reason} rows={2} maxLength={MAX_REASON_CHARS} required autoFocus
          placeholder={placeholder} onInput={(e) => { setReason(e.currentTarget.value); setInvalid(false); }} />
      </label>
      {invalid && <p class="field-hint warning" role="alert">{t('devices.reasonRequired')}</p>}
      <div class="form-actions">
        <button type="submit" class={kind} data-testid={`${testid}-confirm`}>{label}</button>
        <button type="button" class="button" data-testid={`${testid}-cancel`} onClick={close}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
