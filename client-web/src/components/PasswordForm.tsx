import { useState } from 'preact/hooks';
import { UiError } from '../errors';
import { useAction } from '../hooks';
import { t } from '../i18n/i18n';
import { ErrorMessage, Field } from './ui';

/**
 * New password twice (and the current one when `withCurrent`). `onSubmit` gets the passwords once
 * both new ones match; its errors (e.g. `password_policy`) are shown under the form.
 */
export function PasswordForm({ withCurrent, submitLabel, onSubmit }: {
  withCurrent: boolean;
  submitLabel: string;
  onSubmit: (newPassword: string, currentPassword: string) => Promise<unknown>;
}) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const action = useAction();

  function submit(e: Event) {
    e.preventDefault();
    action.run(async () => {
      if (next !== confirm) throw new UiError('password.mismatch');
      await onSubmit(next, current);
      setCurrent('');
      setNext('');
      setConfirm('');
    });
  }

  return (
    <form class="stack" onSubmit={submit}>
      {withCurrent && (
        <Field label={t('password.current')}>
          <input type="password" data-testid="current-password" value={current} autoComplete="current-password"
            required maxLength={128} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </Field>
      )}
      <Field label={t('password.new')} hint={t('password.policy')}>
        <input type="password" data-testid="new-password" value={next} autoComplete="new-password"
          required maxLength={128} onInput={(e) => setNext(e.currentTarget.value)} />
      </Field>
      <Field label={t('password.confirm')}>
        <input type="password" data-testid="new-password-confirm" value={confirm} autoComplete="new-password"
          required maxLength={128} onInput={(e) => setConfirm(e.currentTarget.value)} />
      </Field>
      <ErrorMessage error={action.error} />
      <button type="submit" class="button primary" data-testid="password-submit" disabled={action.busy}>
        {submitLabel}
      </button>
    </form>
  );
}
