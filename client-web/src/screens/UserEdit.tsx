import { useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { DeptSelect } from '../components/DeptSelect';
import { RoleChecks } from '../components/RoleChecks';
import { ConfirmButton, ErrorMessage, Field, InitialPassword, SuccessMessage } from '../components/ui';
import { dateTime, departmentTree, flatten, type DepartmentNode } from '../format';
import { useAction, useLoad } from '../hooks';
import { lang, t, type MessageKey } from '../i18n/i18n';
import { isOwner, mayManage } from '../roles';
import { StatusBadges } from './Users';

type User = Schemas['User'];

/** Owner/admin: edit one user; reset their password; unlock them. */
export function UserEdit({ orgId, userId, me }: { orgId: string; userId: string; me: Schemas['Me'] }) {
  const params = { orgId, userId };
  const user = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/users/{userId}', { params }), [orgId, userId]);
  const depts = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/departments', { params: { orgId } }), [orgId]);
  const [done, setDone] = useState<MessageKey | null>(null);
  const [password, setPassword] = useState<string | null>(null);
  const [resetTotp, setResetTotp] = useState(false);
  const action = useAction();

  const run = (message: MessageKey, request: () => Promise<unknown>) => action.run(async () => {
    setDone(null);
    await request();
    setDone(message);
    user.reload();
  });

  const u = user.data;
  return (
    <section class="page">
      <a href="#/users" class="back" data-testid="user-back">← {t('user.back')}</a>
      <ErrorMessage error={user.error ?? action.error} />
      <SuccessMessage text={done && t(done)} />
      {password && (
        <InitialPassword title={t('user.resetDone', { loginId: u?.loginId ?? '' })} password={password}
          onDone={() => setPassword(null)} />
      )}
      {u && (
        <>
          <div class="page-head">
            <h1 data-testid="user-edit-title">{u.displayName}</h1>
            <StatusBadges user={u} />
          </div>
          <dl class="profile card">
            <dt>{t('user.loginId')}</dt><dd data-testid="user-edit-login-id">{u.loginId}</dd>
            <dt>{t('user.totp')}</dt><dd>{u.totpEnrolled ? t('user.totpYes') : t('user.totpNo')}</dd>
            <dt>{t('user.createdAt')}</dt><dd>{dateTime(u.createdAt, lang())}</dd>
            <dt>{t('user.lastLoginAt')}</dt><dd>{dateTime(u.lastLoginAt, lang())}</dd>
          </dl>
          {/* An owner, admin or auditor is managed only by an owner; the server refuses anyone else. */}
          {!mayManage(me, u.roles) && <p class="notice" data-testid="user-owner-only">{t('user.ownerOnly')}</p>}
          {mayManage(me, u.roles) && <>
          <EditForm key={JSON.stringify(u)} user={u} owner={isOwner(me)} options={flatten(departmentTree(depts.data ?? []))}
            busy={action.busy} onSave={(body) => run('user.saved', () =>
              api.call('patch', '/api/v1/orgs/{orgId}/users/{userId}', { params, body }))} />
          <div class="card">
            <h2>{t('user.security')}</h2>
            {u.locked && (
              <p class="row-actions">
                <span>{t('user.lockedHelp')}</span>
                <button type="button" class="button" data-testid="user-unlock" disabled={action.busy}
                  onClick={() => run('user.unlocked', () => api.call('post', '/api/v1/orgs/{orgId}/users/{userId}/unlock', { params }))}>
                  {t('user.unlock')}
                </button>
              </p>
            )}
            <p class="muted">{t('user.resetHelp')}</p>
            <label class="check">
              <input type="checkbox" data-testid="user-reset-totp" checked={resetTotp}
                onChange={(e) => setResetTotp(e.currentTarget.checked)} />
              {t('user.resetTotp')}
            </label>
            <ConfirmButton label={t('user.reset')} question={t('user.resetQuestion')} testid="user-reset-password"
              disabled={action.busy} onConfirm={() => action.run(async () => {
                setDone(null);
                const result = await api.call('post', '/api/v1/orgs/{orgId}/users/{userId}/reset-password', { params, body: { resetTotp } });
                setPassword(result.initialPassword);
                setResetTotp(false);
                user.reload();
              })} />
          </div>
          </>}
        </>
      )}
    </section>
  );
}

function EditForm({ user, owner, options, busy, onSave }: {
  user: User; owner: boolean; options: DepartmentNode[]; busy: boolean;
  onSave: (body: Schemas['UpdateUserRequest']) => void;
}) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [departmentId, setDepartmentId] = useState(user.departmentId ?? '');
  const [email, setEmail] = useState(user.email ?? '');
  const [roles, setRoles] = useState(user.roles);
  const [status, setStatus] = useState(user.status);

  function save(e: Event) {
    e.preventDefault();
    const body: Schemas['UpdateUserRequest'] = {};
    if (displayName.trim() !== user.displayName) body.displayName = displayName.trim();
    // In a PATCH, '' clears a field and an absent one stays as it is.
    if (departmentId !== (user.departmentId ?? '')) body.departmentId = departmentId;
    if (email.trim() !== (user.email ?? '')) body.email = email.trim();
    if ([...roles].sort().join() !== [...user.roles].sort().join()) body.roles = roles;
    if (status !== user.status) body.status = status;
    onSave(body);
  }

  return (
    <div class="card">
      <h2>{t('user.profile')}</h2>
      <form class="grid-form" onSubmit={save}>
        <Field label={t('user.displayName')}>
          <input data-testid="user-edit-name" value={displayName} required maxLength={100}
            onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </Field>
        <Field label={t('user.email')}>
          <input type="email" data-testid="user-edit-email" value={email} maxLength={254}
            onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field label={t('user.department')}>
          <DeptSelect testid="user-edit-dept" value={departmentId} options={options} onChange={setDepartmentId}
            noneLabel={t('user.noDepartment')} />
        </Field>
        <Field label={t('user.status')}>
          <select data-testid="user-edit-status" value={status}
            onChange={(e) => setStatus(e.currentTarget.value as User['status'])}>
            <option value="active">{t('status.active')}</option>
            <option value="suspended">{t('status.suspended')}</option>
          </select>
        </Field>
        <RoleChecks prefix="user-edit" value={roles} owner={owner} onChange={setRoles} />
        <div class="form-actions">
          <button type="submit" class="button primary" data-testid="user-edit-save" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </div>
  );
}
