import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { ErrorMessage, SuccessMessage } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { t } from '../i18n/i18n';

type Factor = Schemas['Factor'];
const FACTORS: Factor[] = ['totp', 'email'];

/** Owner: which second factors the organization allows (at least one). */
export function OrgSettings({ orgId }: { orgId: string }) {
  const org = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}', { params: { orgId } }), [orgId]);
  const [factors, setFactors] = useState<Factor[]>([]);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => setFactors(org.data?.allowedFactors ?? []), [org.data]);

  function toggle(factor: Factor, on: boolean) {
    setSaved(false);
    setFactors(on ? FACTORS.filter((f) => f === factor || factors.includes(f)) : factors.filter((f) => f !== factor));
  }

  function save(e: Event) {
    e.preventDefault();
    action.run(async () => {
      await api.call('patch', '/api/v1/orgs/{orgId}', { params: { orgId }, body: { allowedFactors: factors } });
      setSaved(true);
      org.reload();
    });
  }

  return (
    <section class="page">
      <h1>{t('settings.title')}</h1>
      <ErrorMessage error={org.error ?? action.error} />
      <SuccessMessage text={saved ? t('settings.saved') : null} />
      {org.data && (
        <form class="card stack" onSubmit={save}>
          <h2 data-testid="settings-org-name">{org.data.name}</h2>
          <fieldset class="checks">
            <legend>{t('settings.factors')}</legend>
            {FACTORS.map((f) => (
              <label key={f} class="check">
                <input type="checkbox" data-testid={`org-factor-${f}`} checked={factors.includes(f)}
                  onChange={(e) => toggle(f, e.currentTarget.checked)} />
                {t(`factor.${f}`)}
              </label>
            ))}
          </fieldset>
          <p class={factors.length ? 'field-hint' : 'field-hint warning'} data-testid="settings-factor-hint">
            {t('settings.atLeastOne')}
          </p>
          <div class="form-actions">
            <button type="submit" class="button primary" data-testid="org-settings-save"
              disabled={action.busy || factors.length === 0}>{t('common.save')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
