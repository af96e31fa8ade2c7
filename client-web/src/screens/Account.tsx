import { useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { PasswordForm } from '../components/PasswordForm';
import { TotpEnrol } from '../components/TotpEnrol';
import { SuccessMessage } from '../components/ui';
import { t, type MessageKey } from '../i18n/i18n';

/** Change one's password; enrol or re-enrol an authenticator app. */
export function Account({ me, reloadMe }: { me: Schemas['Me']; reloadMe: () => Promise<void> }) {
  const [done, setDone] = useState<MessageKey | null>(null);
  const [enrolling, setEnrolling] = useState(false);
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
        {enrolling ? (
          <TotpEnrol start={() => api.call('post', '/api/v1/me/totp/enrol')} confirm={async (code) => {
            await api.call('post', '/api/v1/me/totp/confirm', { body: { code } });
            setEnrolling(false);
            setDone('account.totpDone');
            await reloadMe();
          }} />
        ) : (
          <button type="button" class="button" data-testid="totp-enrol-start" onClick={() => { setDone(null); setEnrolling(true); }}>
            {me.totpEnrolled ? t('account.totpReenrol') : t('account.totpEnrol')}
          </button>
        )}
      </div>
    </section>
  );
}
