import { useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { PasswordForm } from '../components/PasswordForm';
import { TotpEnrol } from '../components/TotpEnrol';
import { ErrorMessage, Field, SuccessMessage } from '../components/ui';
import { useAction } from '../hooks';
import { t, type MessageKey } from '../i18n/i18n';

/** Change one's password; enrol or re-enrol an authenticator app. */
export function Account({ me, reloadMe }: { me: Schemas['Me']; reloadMe: () => Promise<void> }) {
  const [done, setDone] = useState<MessageKey | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  const [enrolment, setEnrolment] = useState<Schemas['TotpEnrolment'] | null>(null);
  const [currentPassword, setCurrentPassword] = useState('');
  const begin = useAction();
  return (
    <section class="page">
      <h1>{t('account.title')}</h1>
      <SuccessMessage text={done && t(done)} />
      <div class="card">
        <h2>{t('account.password')}</h2>
        <PasswordForm withCurrent submitLabel={t('password.change')} onSubmit={async (newPassword, currentPassword) => {
          setDone(null);
          await api.call('post', '/api/v1/me/password', { body: { currentPassword, newPassword } });
          setDone('account.passwordChanged');
        }} />
      </div>
      <div class="card">
        <h2>{t('account.totp')}</h2>
        <p data-testid="totp-status">{me.totpEnrolled ? t('account.totpEnrolled') : t('account.totpNotEnrolled')}</p>
        {enrolment ? (
          <TotpEnrol start={() => Promise.resolve(enrolment)} confirm={async (code) => {
            await api.call('post', '/api/v1/me/totp/confirm', { body: { code } });
            setEnrolment(null);
            setEnrolling(false);
            setDone('account.totpDone');
            await reloadMe();
          }} />
        ) : enrolling ? (
          // Replacing the second factor needs the current password (the server checks it).
          <form class="stack" onSubmit={(e) => {
            e.preventDefault();
            begin.run(async () => {
              setEnrolment(await api.call('post', '/api/v1/me/totp/enrol', { body: { currentPassword } }));
              setCurrentPassword('');
            });
          }}>
            <p class="muted">{t('account.totpNeedsPassword')}</p>
            <Field label={t('password.current')}>
              <input type="password" data-testid="totp-current-password" value={currentPassword} autoComplete="current-password"
                onInput={(e) => setCurrentPassword(e.currentTarget.value)} required />
            </Field>
            <ErrorMessage error={begin.error} />
            <button type="submit" class="button primary" data-testid="totp-enrol-begin" disabled={begin.busy}>
              {t('common.next')}
            </button>
          </form>
        ) : (
          <button type="button" class="button" data-testid="totp-enrol-start" onClick={() => { setDone(null); setEnrolling(true); }}>
            {me.totpEnrolled ? t('account.totpReenrol') : t('account.totpEnrol')}
          </button>
        )}
      </div>
    </section>
  );
}
