import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../api/client';
import { groupSecret, normalizeCode, svgDataUrl } from '../format';
import { useAction } from '../hooks';
import { t } from '../i18n/i18n';
import { ErrorMessage, Field } from './ui';

/**
 * Enrols an authenticator app: asks the server for a secret (`start`), shows it as a QR code, as
 * grouped text and as an otpauth:// link, then sends the first code (`confirm`).
 */
export function TotpEnrol({ start, confirm }: {
  start: () => Promise<Schemas['TotpEnrolment']>;
  confirm: (code: string) => Promise<unknown>;
}) {
  const [enrolment, setEnrolment] = useState<Schemas['TotpEnrolment'] | null>(null);
  const [code, setCode] = useState('');
  const load = useAction();
  const submit = useAction();
  useEffect(() => {
    load.run(async () => setEnrolment(await start()));
  }, []);

  if (!enrolment) {
    return load.error ? <ErrorMessage error={load.error} /> : <p class="muted">{t('common.loading')}</p>;
  }
  return (
    <form class="stack" onSubmit={(e) => { e.preventDefault(); submit.run(() => confirm(code)); }}>
      <ol class="steps">
        <li>{t('totp.step1')}</li>
        <li>
          {t('totp.step2')}
          <div class="totp-box">
            <img class="qr" data-testid="totp-qr" src={svgDataUrl(enrolment.qrSvg)} alt={t('totp.qrAlt')}
              width={184} height={184} />
            <div>
              <p class="field-label">{t('totp.manual')}</p>
              <code class="secret" data-testid="totp-secret">{groupSecret(enrolment.secret)}</code>
              <p><a href={enrolment.uri} data-testid="totp-uri">{t('totp.openApp')}</a></p>
            </div>
          </div>
        </li>
        <li>{t('totp.step3')}</li>
      </ol>
      <Field label={t('otp.code')}>
        <input data-testid="totp-code" value={code} onInput={(e) => setCode(normalizeCode(e.currentTarget.value))}
          inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required />
      </Field>
      <ErrorMessage error={submit.error} />
      <button type="submit" class="button primary" data-testid="totp-submit" disabled={submit.busy}>
        {t('totp.confirm')}
      </button>
    </form>
  );
}
