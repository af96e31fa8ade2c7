import { useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { ErrorMessage, Field, InitialPassword } from '../components/ui';
import { UiError } from '../errors';
import { dateTime, isLgCode } from '../format';
import { useAction, useLoad } from '../hooks';
import { lang, t } from '../i18n/i18n';

const EMPTY = { name: '', lgCode: '', loginId: '', displayName: '', email: '' };

/** Operator: the organizations, and creating one with its first owner. */
export function Orgs() {
  const orgs = useLoad(() => api.call('get', '/api/v1/orgs'), []);
  const [form, setForm] = useState(EMPTY);
  const [created, setCreated] = useState<Schemas['CreatedOrg'] | null>(null);
  const action = useAction();
  const set = (key: keyof typeof EMPTY) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });

  function submit(e: Event) {
    e.preventDefault();
    action.run(async () => {
      const lgCode = form.lgCode.trim();
      if (lgCode && !isLgCode(lgCode)) throw new UiError('org.lgCodeInvalid');
      const result = await api.call('post', '/api/v1/orgs', {
        body: {
          name: form.name.trim(),
          lgCode: lgCode || null,
          owner: { loginId: form.loginId.trim(), displayName: form.displayName.trim(), email: form.email.trim() || undefined },
        },
      });
      setCreated(result);
      setForm(EMPTY);
      orgs.reload();
    });
  }

  return (
    <section class="page">
      <h1>{t('org.title')}</h1>
      {created && (
        <InitialPassword title={t('org.created', { name: created.org.name, loginId: created.owner.loginId })}
          password={created.initialPassword} onDone={() => setCreated(null)} />
      )}
      <div class="card">
        <h2>{t('org.create')}</h2>
        <form class="grid-form" onSubmit={submit}>
          <Field label={t('org.name')}>
            <input data-testid="org-create-name" value={form.name} onInput={set('name')} required maxLength={100} />
          </Field>
          <Field label={t('org.lgCode')} hint={t('org.lgCodeHint')}>
            <input data-testid="org-create-lgcode" value={form.lgCode} onInput={set('lgCode')} inputMode="numeric"
              pattern="[0-9]{6}" maxLength={6} />
          </Field>
          <Field label={t('org.ownerLoginId')} hint={t('user.loginIdHint')}>
            <input data-testid="org-create-owner-login-id" value={form.loginId} onInput={set('loginId')} required
              minLength={3} maxLength={64} pattern="[A-Za-z0-9._@\-]+" autoCapitalize="none" spellcheck={false} />
          </Field>
          <Field label={t('org.ownerName')}>
            <input data-testid="org-create-owner-name" value={form.displayName} onInput={set('displayName')} required maxLength={100} />
          </Field>
          <Field label={t('org.ownerEmail')}>
            <input type="email" data-testid="org-create-owner-email" value={form.email} onInput={set('email')} maxLength={254} />
          </Field>
          <ErrorMessage error={action.error} />
          <div class="form-actions">
            <button type="submit" class="button primary" data-testid="org-create-submit" disabled={action.busy}>
              {t('org.createSubmit')}
            </button>
          </div>
        </form>
      </div>
      <div class="card">
        <h2>{t('org.list')}</h2>
        <ErrorMessage error={orgs.error} />
        {orgs.data?.length === 0 && <p class="muted" data-testid="org-empty">{t('org.empty')}</p>}
        {!!orgs.data?.length && (
          <div class="table-wrap">
            <table data-testid="org-list">
              <thead>
                <tr><th>{t('org.name')}</th><th>{t('org.lgCode')}</th><th>{t('org.users')}</th>
                  <th>{t('org.factors')}</th><th>{t('org.createdAt')}</th></tr>
              </thead>
              <tbody>
                {orgs.data.map((o) => (
                  <tr key={o.id} data-testid="org-row" data-id={o.id}>
                    <td data-testid="org-row-name">{o.name}</td>
                    <td>{o.lgCode ?? '—'}</td>
                    <td class="num">{o.userCount}</td>
                    <td>{o.allowedFactors.map((f) => t(`factor.${f}`)).join('、')}</td>
                    <td>{dateTime(o.createdAt, lang())}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
