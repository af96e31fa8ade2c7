import { useState } from 'preact/hooks';
import { api, isApiError, type Schemas, type Session } from '../api/client';
import { LangSwitch } from '../components/LangSwitch';
import { PasswordForm } from '../components/PasswordForm';
import { TotpEnrol } from '../components/TotpEnrol';
import { ErrorMessage, Field } from '../components/ui';
import { normalizeCode } from '../format';
import { useAction } from '../hooks';
import { t, type Lang } from '../i18n/i18n';

type LoginStep = Schemas['LoginStep'];
type Factor = Schemas['Factor'];
/** Sends one sign-in request and moves on to the step it answers with. */
type Act = (request: () => Promise<LoginStep>) => Promise<void>;
/** Starts again at the password if the error is `login_expired`; rethrows it. */
type Expired = (error: unknown) => never;

/**
 * The sign-in state machine of HTTP-API.md: password → otp → password_change → totp_enrol → done.
 * An expired ticket (`login_expired`) starts again at the password with the error shown.
 */
export function SignIn({ notice, onSession, onLang }: {
  notice: unknown; onSession: (session: Session) => void; onLang: (lang: Lang) => void;
}) {
  const [step, setStep] = useState<LoginStep | null>(null);
  const [restartError, setRestartError] = useState<unknown>(notice);

  const expired: Expired = (e) => {
    if (isApiError(e, 'login_expired')) {
      setRestartError(e);
      setStep(null);
    }
    throw e;
  };
  const act: Act = async (request) => {
    const next = await request().catch(expired);
    if (next.next === 'done' && next.session) onSession(next.session);
    else setStep(next);
  };
  const ticket = step?.ticket ?? '';

  return (
    <main class="signin-page">
      <div class="card signin-card">
        <div class="signin-top">
          <h1 class="brand" data-testid="app-name"><span class="brand-mark">回覧</span> Kairan</h1>
          <LangSwitch onLang={onLang} />
        </div>
        {step === null && <LoginForm act={act} initialError={restartError} />}
        {step?.next === 'otp' && <OtpForm step={step} act={act} expired={expired} />}
        {step?.next === 'password_change' && (
          <>
            <h2>{t('signin.passwordChangeTitle')}</h2>
            <p class="muted">{t('signin.passwordChangeHelp')}</p>
            <PasswordForm withCurrent={false} submitLabel={t('password.change')}
              onSubmit={(newPassword) => act(() => api.call('post', '/api/v1/auth/password', { body: { ticket, newPassword } }))} />
          </>
        )}
        {step?.next === 'totp_enrol' && (
          <>
            <h2>{t('signin.totpTitle')}</h2>
            <p class="muted">{t('signin.totpHelp')}</p>
            <TotpEnrol
              start={() => api.call('post', '/api/v1/auth/totp/enrol', { body: { ticket } }).catch(expired)}
              confirm={(code) => act(() => api.call('post', '/api/v1/auth/totp/confirm', { body: { ticket, code } }))} />
          </>
        )}
        {step !== null && (
          <button type="button" class="link" data-testid="signin-restart" onClick={() => { setRestartError(null); setStep(null); }}>
            {t('signin.restart')}
          </button>
        )}
      </div>
    </main>
  );
}

function LoginForm({ act, initialError }: { act: Act; initialError: unknown }) {
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const error = action.error ?? (action.busy ? null : initialError);
  return (
    <form class="stack" onSubmit={(e) => {
      e.preventDefault();
      action.run(() => act(() => api.call('post', '/api/v1/auth/login', { body: { loginId: loginId.trim(), password } })));
    }}>
      <h2>{t('signin.title')}</h2>
      <Field label={t('signin.loginId')}>
        <input data-testid="login-id" value={loginId} autoComplete="username" autoCapitalize="none" spellcheck={false}
          required maxLength={64} autoFocus onInput={(e) => setLoginId(e.currentTarget.value)} />
      </Field>
      <Field label={t('signin.password')}>
        <input type="password" data-testid="login-password" value={password} autoComplete="current-password"
          required maxLength={128} onInput={(e) => setPassword(e.currentTarget.value)} />
      </Field>
      <ErrorMessage error={error} />
      <button type="submit" class="button primary wide" data-testid="login-submit" disabled={action.busy}>
        {t('signin.submit')}
      </button>
    </form>
  );
}

function OtpForm({ step, act, expired }: { step: LoginStep; act: Act; expired: Expired }) {
  const methods = step.methods ?? [];
  const [method, setMethod] = useState<Factor>(methods.includes('totp') ? 'totp' : 'email');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const send = useAction();
  const verify = useAction();
  const ticket = step.ticket ?? '';

  function sendMail() {
    send.run(async () => {
      await api.call('post', '/api/v1/auth/otp/email', { body: { ticket } }).catch(expired);
      setSent(true);
    });
  }

  return (
    <form class="stack" onSubmit={(e) => {
      e.preventDefault();
      verify.run(() => act(() => api.call('post', '/api/v1/auth/otp', { body: { ticket, method, code } })));
    }}>
      <h2>{t('otp.title')}</h2>
      {methods.length > 1 && (
        <fieldset class="checks">
          <legend>{t('otp.method')}</legend>
          {methods.map((m) => (
            <label key={m} class="check">
              <input type="radio" name="otp-method" data-testid={`otp-method-${m}`} checked={method === m}
                onChange={() => setMethod(m)} />
              {t(`otp.method.${m}`)}
            </label>
          ))}
        </fieldset>
      )}
      {method === 'totp' ? <p class="muted">{t('otp.totpHelp')}</p> : (
        <div class="stack-tight">
          <p class="muted">{t('otp.emailHelp', { hint: step.emailHint ?? '' })}</p>
          <button type="button" class="button" data-testid="otp-send-email" disabled={send.busy} onClick={sendMail}>
            {sent ? t('otp.resend') : t('otp.send')}
          </button>
          {sent && <p class="alert alert-success" role="status" data-testid="otp-email-sent">
            {t('otp.sent', { hint: step.emailHint ?? '' })}</p>}
        </div>
      )}
      <Field label={t('otp.code')}>
        <input data-testid="otp-code" value={code} onInput={(e) => setCode(normalizeCode(e.currentTarget.value))}
          inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required autoFocus />
      </Field>
      <ErrorMessage error={verify.error ?? send.error} />
      <button type="submit" class="button primary wide" data-testid="otp-submit" disabled={verify.busy}>
        {t('otp.submit')}
      </button>
    </form>
  );
}
