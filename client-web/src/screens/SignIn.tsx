import { useEffect, useState } from 'preact/hooks';
import { api, isApiError, type Schemas, type Session } from '../api/client';
import { hasForbiddenNameCharacter } from '../chat/invisible';
import { LangSwitch } from '../components/LangSwitch';
import { PasswordForm } from '../components/PasswordForm';
import { TotpEnrol } from '../components/TotpEnrol';
import { ErrorMessage, Field } from '../components/ui';
import { UiError } from '../errors';
import { dateTime, normalizeCode } from '../format';
import { useAction } from '../hooks';
import { lang, t, type Lang, type MessageKey } from '../i18n/i18n';

type LoginStep = Schemas['LoginStep'];
type Factor = Schemas['Factor'];
/** Sends one sign-in request and moves on to the step it answers with. */
type Act = (request: () => Promise<LoginStep>) => Promise<void>;
/** Starts again at the password if the error is `login_expired`; rethrows it. */
type Expired = (error: unknown) => never;

/** How often the waiting screen asks whether the device was approved (DEVICES.md: every 2–3 s). */
export const DEVICE_POLL_MS = 2_000;
const DEVICE_NAME_MAX = 64;

/** Notices after which the sign-in screen shows a test ID of its own (end-to-end tests look for them). */
const NOTICE_TESTIDS: Partial<Record<MessageKey, string>> = {
  'device.wiped': 'device-wiped',
  'device.wipeIncomplete': 'device-wiped',
  'device.rejected': 'device-rejected',
  'device.reRegister': 'device-reregister',
};

/**
 * The sign-in state machine of HTTP-API.md and DEVICES.md: password → otp → password_change → totp_enrol →
 * device_register → device_pending → done. An expired ticket (`login_expired`) starts again at the password
 * with the error shown. A `device_revoked` answer means this browser's key for the login ID was revoked:
 * the key is replaced and the device registered anew.
 */
export function SignIn({ notice, onSession, onLang }: {
  notice: unknown; onSession: (session: Session) => void; onLang: (lang: Lang) => void;
}) {
  const [step, setStep] = useState<LoginStep | null>(null);
  const [restartError, setRestartError] = useState<unknown>(notice);
  const [stepNotice, setStepNotice] = useState<unknown>(null);
  const [loginId, setLoginId] = useState('');
  useEffect(() => setRestartError(notice), [notice]);

  const restart = (error: unknown) => {
    setRestartError(error);
    setStepNotice(null);
    setStep(null);
  };
  const expired: Expired = (e) => {
    if (isApiError(e, 'login_expired')) restart(e);
    throw e;
  };
  const show = (next: LoginStep) => {
    if (next.next === 'done' && next.session) onSession(next.session);
    else setStep(next);
  };
  const act: Act = async (request) => {
    const ticket = step?.ticket;
    let next: LoginStep;
    try {
      next = await request();
    } catch (e) {
      if (isApiError(e, 'device_rejected')) {
        // This browser's key for the login ID was rejected: forget it; the next sign-in registers a new one.
        await api.deleteDeviceKey().catch(() => {});
        restart(new UiError('device.rejected'));
        return;
      }
      if (!isApiError(e, 'device_revoked')) return expired(e);
      // This browser's key for the login ID is revoked: confirm its wipe, make a new key, register again.
      await replaceKey();
      if (ticket) {
        setStepNotice(new UiError('device.reRegister'));
        setStep({ next: 'device_register', ticket });
        return;
      }
      next = await request().catch(expired);
    }
    show(next);
  };
  const ticket = step?.ticket ?? '';

  return (
    <main class="signin-page">
      <div class="card signin-card">
        <div class="signin-top">
          <h1 class="brand" data-testid="app-name"><span class="brand-mark">回覧</span> Kairan</h1>
          <LangSwitch onLang={onLang} />
        </div>
        {step === null && <LoginForm act={act} initialError={restartError} loginId={loginId} setLoginId={setLoginId} />}
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
        {step?.next === 'device_register' && (
          <DeviceRegisterForm key={ticket} ticket={ticket} act={act} notice={stepNotice}
            onConflict={() => restart(new UiError('device.reRegister'))} />
        )}
        {step?.next === 'device_pending' && (
          <DevicePending key={ticket} step={step} onStep={show} restart={restart} />
        )}
        {step !== null && (
          <button type="button" class="link" data-testid="signin-restart" onClick={() => restart(null)}>
            {t('signin.restart')}
          </button>
        )}
      </div>
    </main>
  );
}

/** Deletes the revoked key (confirming its wipe to the server) and makes a new one. */
async function replaceKey(): Promise<void> {
  try {
    await api.replaceRevokedKey();
  } catch {
    throw new UiError('device.keyUnavailable');
  }
}

function LoginForm({ act, initialError, loginId, setLoginId }: {
  act: Act; initialError: unknown; loginId: string; setLoginId: (id: string) => void;
}) {
  const [password, setPassword] = useState('');
  const action = useAction();
  const error = action.error ?? (action.busy ? null : initialError);
  const noticeTestid = initialError instanceof UiError && error === initialError ? NOTICE_TESTIDS[initialError.key] : undefined;
  return (
    <form class="stack" onSubmit={(e) => {
      e.preventDefault();
      action.run(async () => {
        const id = loginId.trim();
        // Sign the sign-in calls with this login ID's device key, if this browser has one.
        await api.useLoginId(id).catch(() => null);
        await act(() => api.call('post', '/api/v1/auth/login', { body: { loginId: id, password } }));
      });
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
      <ErrorMessage error={error} testid={noticeTestid} />
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

/**
 * A device name as the server takes it: NFC, trimmed, 1–64 characters, no control, format, bidi or zero-width
 * characters and no unpaired surrogate; null if not.
 */
export function deviceName(typed: string): string | null {
  const name = typed.normalize('NFC').trim();
  if (name.length === 0 || name.length > DEVICE_NAME_MAX || hasForbiddenNameCharacter(name)) return null;
  return name;
}

/** `device_register`: the user names this browser; its key is made (if missing) and registered. */
function DeviceRegisterForm({ ticket, act, notice, onConflict }: {
  ticket: string; act: Act; notice: unknown; onConflict: () => void;
}) {
  const [name, setName] = useState('');
  const action = useAction();

  function submit(e: Event) {
    e.preventDefault();
    action.run(async () => {
      const checked = deviceName(name);
      if (checked === null) throw new UiError('device.nameInvalid');
      let publicKey;
      try {
        publicKey = (await api.ensureDeviceKey()).publicJwk;
      } catch {
        throw new UiError('device.keyUnavailable');
      }
      try {
        await act(() => api.call('post', '/api/v1/auth/device', { body: { ticket, name: checked, publicKey } }));
      } catch (err) {
        // The ticket is no longer at `device_register` (e.g. after a revoked key): sign in again.
        if (isApiError(err, 'conflict')) onConflict();
        throw err;
      }
    });
  }

  return (
    <form class="stack" onSubmit={submit} data-testid="device-register">
      <h2>{t('device.registerTitle')}</h2>
      <ErrorMessage error={action.busy || action.error ? null : notice} testid="device-reregister" />
      <p class="muted">{t('device.registerHelp')}</p>
      <Field label={t('device.name')} hint={t('device.nameHint')}>
        <input data-testid="device-name" value={name} required maxLength={DEVICE_NAME_MAX} autoFocus
          placeholder="庁舎PC 3F-12" onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <ErrorMessage error={action.error} />
      <button type="submit" class="button primary wide" data-testid="device-register-submit" disabled={action.busy}>
        {t('device.registerSubmit')}
      </button>
    </form>
  );
}

/** Errors after which the waiting screen keeps asking: the server or the network will be back. */
const TRANSIENT = new Set(['network_error', 'bad_response', 'server_busy', 'database_unavailable', 'rate_limited', 'internal_error']);

/**
 * `device_pending`: waits for an admin or the department head, asking `POST /auth/device/wait` every
 * {@link DEVICE_POLL_MS}; moves on by itself when approved. A rejection deletes this login's key and shows the
 * sign-in screen with a notice.
 */
function DevicePending({ step, onStep, restart }: {
  step: LoginStep; onStep: (next: LoginStep) => void; restart: (error: unknown) => void;
}) {
  const ticket = step.ticket ?? '';
  const [problem, setProblem] = useState<unknown>(null);
  const [stopped, setStopped] = useState(false);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let again = true;
      try {
        const next = await api.call('post', '/api/v1/auth/device/wait', { body: { ticket } });
        if (!live) return;
        setProblem(null);
        if (next.next !== 'device_pending') {
          again = false;
          onStep(next);
        }
      } catch (e) {
        if (!live) return;
        again = false;
        if (isApiError(e, 'device_rejected')) {
          await api.deleteDeviceKey().catch(() => {});
          restart(new UiError('device.rejected'));
        } else if (isApiError(e, 'device_revoked')) {
          // Revoked while waiting: confirm the wipe of its key; the next sign-in registers a new one.
          await api.replaceRevokedKey().catch(() => {});
          restart(new UiError('device.reRegister'));
        } else if (isApiError(e, 'login_expired')) {
          restart(e);
        } else {
          setProblem(e);
          again = isApiError(e) && TRANSIENT.has(e.code);
          if (!again) setStopped(true);
        }
      }
      if (again && live) timer = setTimeout(() => void poll(), DEVICE_POLL_MS);
    };
    timer = setTimeout(() => void poll(), DEVICE_POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [ticket]);

  const offline = isApiError(problem, 'network_error');
  return (
    <div class="stack" data-testid="device-pending" role="status" aria-live="polite">
      <h2 data-testid="device-pending-title">{t('device.pendingTitle')}</h2>
      <p>{t('device.pendingHelp', { name: step.device?.name ?? '' })}</p>
      <dl class="profile">
        <dt>{t('device.name')}</dt>
        <dd data-testid="device-pending-name">{step.device?.name ?? '—'}</dd>
      </dl>
      <p class="muted">{t('device.pendingWho')}</p>
      {step.expiresAt && <p class="muted">{t('device.pendingExpires', { time: dateTime(step.expiresAt, lang()) })}</p>}
      {!stopped && !problem && <p class="muted" data-testid="device-pending-checking">
        <span class="spinner" aria-hidden="true" /> {t('device.pendingChecking')}</p>}
      {offline ? <p class="alert alert-error" role="alert" data-testid="error-message">{t('device.pendingOffline')}</p>
        : <ErrorMessage error={problem} />}
    </div>
  );
}
