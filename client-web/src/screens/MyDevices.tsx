import { useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { DeviceStatus, revocable, WipeStatus } from '../components/DeviceParts';
import { ErrorMessage, ReasonButton, SuccessMessage } from '../components/ui';
import { dateTime } from '../format';
import { useAction, useLoad } from '../hooks';
import { lang, t } from '../i18n/i18n';

type Device = Schemas['Device'];

/** `#/devices`: the signed-in user's devices, with "report lost" for every other device that still works. */
export function MyDevices() {
  const devices = useLoad(() => api.call('get', '/api/v1/me/devices'), []);
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);

  function reportLost(device: Device, reason: string) {
    setDone(null);
    action.run(async () => {
      await api.call('post', '/api/v1/me/devices/{deviceId}/revoke', { params: { deviceId: device.id }, body: { reason } });
      setDone(t('devices.reported', { name: device.name }));
      devices.reload();
    });
  }

  return (
    <section class="page">
      <h1>{t('devices.title')}</h1>
      <p class="muted">{t('devices.intro')}</p>
      <ErrorMessage error={devices.error ?? action.error} />
      <SuccessMessage text={done} />
      <div class="card">
        {devices.data?.length === 0 && <p class="muted" data-testid="my-device-empty">{t('devices.empty')}</p>}
        {!!devices.data?.length && (
          <div class="table-wrap">
            <table data-testid="my-device-list">
              <thead>
                <tr><th>{t('devices.name')}</th><th>{t('devices.status')}</th><th>{t('devices.createdAt')}</th>
                  <th>{t('devices.lastSeen')}</th><th>{t('devices.lastIp')}</th><th>{t('devices.wipe')}</th><th /></tr>
              </thead>
              <tbody>
                {devices.data.map((d) => (
                  <tr key={d.id} data-testid="my-device-row" data-id={d.id} data-status={d.status}>
                    <td>
                      <span data-testid="my-device-name">{d.name}</span>
                      {d.current && <span class="badge current" data-testid="device-current">{t('devices.thisDevice')}</span>}
                    </td>
                    <td><DeviceStatus device={d} /></td>
                    <td>{dateTime(d.createdAt, lang())}</td>
                    <td>{dateTime(d.lastSeenAt, lang())}</td>
                    <td>{d.lastIp ?? '—'}</td>
                    <td><WipeStatus device={d} /></td>
                    <td>
                      {!d.current && revocable(d) && (
                        <ReasonButton label={t('devices.reportLost')} testid="device-report-lost" danger
                          question={t('devices.reportLostQuestion', { name: d.name })} placeholder={t('devices.reasonPlaceholder')}
                          disabled={action.busy} onConfirm={(reason) => reportLost(d, reason)} />
                      )}
                    </td>
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
