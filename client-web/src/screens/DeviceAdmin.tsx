import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { DeptSelect } from '../components/DeptSelect';
import { DeviceStatus, revocable, WipeStatus } from '../components/DeviceParts';
import { ConfirmButton, ErrorMessage, Field, ReasonButton, SuccessMessage } from '../components/ui';
import { dateTime, departmentTree, flatten } from '../format';
import { useAction, useDebounced, useLoad } from '../hooks';
import { lang, t } from '../i18n/i18n';
import { isOrgAdmin, mayApproveOwnDevice, mayManage } from '../roles';

type Device = Schemas['Device'];
type DeviceStatusValue = Schemas['DeviceStatus'];
const STATUSES: DeviceStatusValue[] = ['pending', 'approved', 'rejected', 'revoked'];
/** The lists follow approvals, revocations and wipe confirmations made elsewhere. */
const RELOAD_EVERY_MS = 10_000;

/**
 * `#/device-admin`: owners and admins (all devices of the organization) and department heads (their
 * department's): approve or reject pending devices, revoke lost ones, and see whether a revoked device has
 * confirmed its wipe.
 */
export function DeviceAdmin({ orgId, me }: { orgId: string; me: Schemas['Me'] }) {
  const [status, setStatus] = useState<DeviceStatusValue | ''>('');
  const [departmentId, setDepartmentId] = useState('');
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim(), 250);
  const [generation, setGeneration] = useState(0);
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);

  const depts = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/departments', { params: { orgId } }), [orgId]);
  const pending = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/devices', { params: { orgId }, query: { status: 'pending' } }),
    [orgId, generation]);
  const all = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/devices', {
    params: { orgId }, query: { status: status || undefined, departmentId: departmentId || undefined, q: q || undefined },
  }), [orgId, status, departmentId, q, generation]);
  useEffect(() => {
    const timer = setInterval(() => setGeneration((g) => g + 1), RELOAD_EVERY_MS);
    return () => clearInterval(timer);
  }, []);

  // The devices of an owner, admin or auditor are decided only by an owner: the roles come from the user list.
  const users = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/users', { params: { orgId } }), [orgId]);
  const decidable = (d: Device) => {
    const roles = users.data?.find((u) => u.id === d.userId)?.roles;
    return roles !== undefined && mayManage(me, roles);
  };
  const ownerOnly = (d: Device) => users.data !== undefined && !decidable(d) && (
    <span class="muted small" data-testid="device-owner-only">{t('deviceAdmin.ownerOnly')}</span>
  );

  const options = flatten(departmentTree(depts.data ?? []));
  const deptName = (id: string | null) => depts.data?.find((d) => d.id === id)?.name ?? '—';

  function decide(device: Device, what: 'approve' | 'reject' | 'revoke', reason?: string) {
    setDone(null);
    action.run(async () => {
      const params = { orgId, deviceId: device.id };
      if (what === 'approve') await api.call('post', '/api/v1/orgs/{orgId}/devices/{deviceId}/approve', { params });
      else if (what === 'reject') await api.call('post', '/api/v1/orgs/{orgId}/devices/{deviceId}/reject', { params, body: { reason: reason ?? '' } });
      else await api.call('post', '/api/v1/orgs/{orgId}/devices/{deviceId}/revoke', { params, body: { reason: reason ?? '' } });
      setDone(t(what === 'approve' ? 'deviceAdmin.approved' : what === 'reject' ? 'deviceAdmin.rejected' : 'deviceAdmin.revoked',
        { name: device.name }));
      setGeneration((g) => g + 1);
    });
  }

  const who = (d: Device) => ({ name: d.name, user: d.userName });

  return (
    <section class="page">
      <div class="page-head">
        <h1>{t('deviceAdmin.title')}</h1>
        <button type="button" class="button" data-testid="device-reload" onClick={() => setGeneration((g) => g + 1)}>
          {t('deviceAdmin.reload')}
        </button>
      </div>
      <p class="muted">{t('deviceAdmin.intro')}</p>
      {!isOrgAdmin(me) && <p class="muted" data-testid="device-dept-head-note">{t('deviceAdmin.deptHeadNote')}</p>}
      <ErrorMessage error={action.error ?? pending.error ?? all.error ?? depts.error ?? users.error} />
      <SuccessMessage text={done} />

      <div class="card">
        <h2>{t('deviceAdmin.pending')}</h2>
        {pending.data?.length === 0 && <p class="muted" data-testid="pending-device-empty">{t('deviceAdmin.pendingEmpty')}</p>}
        {!!pending.data?.length && (
          <div class="table-wrap">
            <table data-testid="pending-device-list">
              <thead>
                <tr><th>{t('devices.name')}</th><th>{t('deviceAdmin.user')}</th><th>{t('user.department')}</th>
                  <th>{t('devices.createdAt')}</th><th>{t('deviceAdmin.firstIp')}</th><th>{t('deviceAdmin.userAgent')}</th><th /></tr>
              </thead>
              <tbody>
                {pending.data.map((d) => (
                  <tr key={d.id} data-testid="pending-device-row" data-id={d.id}>
                    <td data-testid="device-name">{d.name}</td>
                    <td><UserCell device={d} /></td>
                    <td>{deptName(d.departmentId)}</td>
                    <td>{dateTime(d.createdAt, lang())}</td>
                    <td>{d.firstIp ?? '—'}</td>
                    <td class="user-agent" title={d.userAgent ?? ''}>{d.userAgent ?? '—'}</td>
                    <td><div class="row-actions">
                      {ownerOnly(d)}
                      {/* Nobody approves their own device but a sole owner (DEVICES.md); another owner does. */}
                      {decidable(d) && d.userId === me.id && !mayApproveOwnDevice(me, users.data ?? []) && (
                        <span class="muted small" data-testid="device-another-owner">{t('deviceAdmin.anotherOwner')}</span>
                      )}
                      {decidable(d) && (d.userId !== me.id || mayApproveOwnDevice(me, users.data ?? [])) && (
                        <ConfirmButton label={t('deviceAdmin.approve')} testid="device-approve" disabled={action.busy}
                          question={t('deviceAdmin.approveQuestion', who(d))} onConfirm={() => decide(d, 'approve')} />
                      )}
                      {decidable(d) && (
                        <ReasonButton label={t('deviceAdmin.reject')} testid="device-reject" danger disabled={action.busy}
                          question={t('deviceAdmin.rejectQuestion', who(d))} onConfirm={(reason) => decide(d, 'reject', reason)} />
                      )}
                    </div></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <div class="card">
        <h2>{t('deviceAdmin.all')}</h2>
        <div class="filters">
          <Field label={t('deviceAdmin.search')}>
            <input type="search" data-testid="device-search" value={typed} maxLength={100}
              placeholder={t('deviceAdmin.searchPlaceholder')} onInput={(e) => setTyped(e.currentTarget.value)} />
          </Field>
          <Field label={t('devices.status')}>
            <select data-testid="device-filter-status" value={status}
              onChange={(e) => setStatus(e.currentTarget.value as DeviceStatusValue | '')}>
              <option value="">{t('deviceAdmin.allStatuses')}</option>
              {STATUSES.map((s) => <option key={s} value={s}>{t(`deviceStatus.${s}`)}</option>)}
            </select>
          </Field>
          {/* A department head sees their own department only; the server refuses others. */}
          {isOrgAdmin(me) && (
            <Field label={t('user.department')}>
              <DeptSelect testid="device-filter-dept" value={departmentId} options={options} onChange={setDepartmentId}
                noneLabel={t('user.allDepartments')} />
            </Field>
          )}
        </div>
        {all.data?.length === 0 && <p class="muted" data-testid="device-empty">{t('deviceAdmin.empty')}</p>}
        {!!all.data?.length && (
          <div class="table-wrap">
            <table data-testid="device-list">
              <thead>
                <tr><th>{t('devices.name')}</th><th>{t('deviceAdmin.user')}</th><th>{t('user.department')}</th>
                  <th>{t('devices.status')}</th><th>{t('devices.lastSeen')}</th><th>{t('devices.lastIp')}</th>
                  <th>{t('devices.wipe')}</th><th /></tr>
              </thead>
              <tbody>
                {all.data.map((d) => (
                  <tr key={d.id} data-testid="device-row" data-id={d.id} data-status={d.status}>
                    <td>
                      <span data-testid="device-name">{d.name}</span>
                      {d.current && <span class="badge current" data-testid="device-current">{t('devices.thisDevice')}</span>}
                      <DecisionNote device={d} />
                    </td>
                    <td><UserCell device={d} /></td>
                    <td>{deptName(d.departmentId)}</td>
                    <td><DeviceStatus device={d} /></td>
                    <td>{dateTime(d.lastSeenAt, lang())}</td>
                    <td>{d.lastIp ?? '—'}</td>
                    <td><WipeStatus device={d} /></td>
                    <td>
                      {/* One's own current device is revoked from another one ("report lost"), never by accident here. */}
                      {revocable(d) && ownerOnly(d)}
                      {revocable(d) && !d.current && decidable(d) && (
                        <ReasonButton label={t('deviceAdmin.revoke')} testid="device-revoke" danger disabled={action.busy}
                          question={t('deviceAdmin.revokeQuestion', who(d))} placeholder={t('devices.reasonPlaceholder')}
                          onConfirm={(reason) => decide(d, 'revoke', reason)} />
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

function UserCell({ device }: { device: Device }) {
  return (
    <span class="device-user">
      <span data-testid="device-user-name">{device.userName}</span>
      <span class="muted small" data-testid="device-login-id">{device.loginId}</span>
    </span>
  );
}

/** Who revoked a device and why, or who decided on it. */
function DecisionNote({ device }: { device: Device }) {
  if (device.status === 'revoked' && device.revokedByName) {
    return <span class="muted small block" data-testid="device-revoked-by">
      {t('deviceAdmin.revokedBy', { name: device.revokedByName, reason: device.revokeReason ?? '' })}</span>;
  }
  if (device.status === 'rejected' && device.decidedByName) {
    return <span class="muted small block" data-testid="device-rejected-by">
      {t('deviceAdmin.rejectedBy', { name: device.decidedByName, reason: device.decisionReason ?? '' })}</span>;
  }
  return null;
}
