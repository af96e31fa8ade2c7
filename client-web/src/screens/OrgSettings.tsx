import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { ErrorMessage, Field, SuccessMessage } from '../components/ui';
import { UiError } from '../errors';
import { useAction, useLoad } from '../hooks';
import { t } from '../i18n/i18n';

type Factor = Schemas['Factor'];
const FACTORS: Factor[] = ['totp', 'email'];

const MIN_DEVICES = 1;
const MAX_DEVICES = 20;

/** Owner: which second factors the organization allows (at least one), and how many devices a user may have. */
export function OrgSettings({ orgId }: { orgId: string }) {
  const org = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}', { params: { orgId } }), [orgId]);
  const [factors, setFactors] = useState<Factor[]>([]);
  const [maxDevices, setMaxDevices] = useState('');
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    setFactors(org.data?.allowedFactors ?? []);
    setMaxDevices(org.data?.maxDevicesPerUser == null ? '' : String(org.data.maxDevicesPerUser));
  }, [org.data]);

  function toggle(factor: Factor, on: boolean) {
    setSaved(false);
    setFactors(on ? FACTORS.filter((f) => f === factor || factors.includes(f)) : factors.filter((f) => f !== factor));
  }

  function save(e: Event) {
    e.preventDefault();
    action.run(async () => {
      const limit = Number(maxDevices.trim());
      if (!/^\d+$/.test(maxDevices.trim()) || limit < MIN_DEVICES || limit > MAX_DEVICES) throw new UiError('settings.maxDevicesInvalid');
      // Only what changed (PATCH).
      const body: Schemas['UpdateOrgRequest'] = {};
      if (String(factors) !== String(org.data?.allowedFactors ?? [])) body.allowedFactors = factors;
      if (limit !== org.data?.maxDevicesPerUser) body.maxDevicesPerUser = limit;
      await api.call('patch', '/api/v1/orgs/{orgId}', { params: { orgId }, body });
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
          <Field label={t('settings.maxDevices')} hint={t('settings.maxDevicesHint')}>
            <input type="number" data-testid="settings-max-devices" value={maxDevices} min={MIN_DEVICES} max={MAX_DEVICES}
              step={1} required inputMode="numeric" onInput={(e) => { setSaved(false); setMaxDevices(e.currentTarget.value); }} />
          </Field>
          <div class="form-actions">
            <button type="submit" class="button primary" data-testid="org-settings-save"
              disabled={action.busy || factors.length === 0}>{t('common.save')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
