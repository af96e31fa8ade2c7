import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { DeptSelect } from '../components/DeptSelect';
import { RoleChecks } from '../components/RoleChecks';
import { ErrorMessage, Field, InitialPassword } from '../components/ui';
import { departmentTree, flatten, type DepartmentNode } from '../format';
import { useAction, useLoad } from '../hooks';
import { t } from '../i18n/i18n';
import { isOwner, type OrgRole } from '../roles';

/** Owner/admin: users with search and department filter; creating a user. */
export function Users({ orgId, me }: { orgId: string; me: Schemas['Me'] }) {
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [departmentId, setDepartmentId] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Schemas['CreatedUser'] | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);

  const depts = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/departments', { params: { orgId } }), [orgId]);
  const users = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/users', {
    params: { orgId }, query: { q: q || undefined, departmentId: departmentId || undefined },
  }), [orgId, q, departmentId]);
  const options = flatten(departmentTree(depts.data ?? []));
  const deptName = (id: string | null) => depts.data?.find((d) => d.id === id)?.name ?? '—';

  return (
    <section class="page">
      <div class="page-head">
        <h1>{t('user.title')}</h1>
        {!creating && (
          <button type="button" class="button primary" data-testid="user-create-open" onClick={() => setCreating(true)}>
            {t('user.create')}
          </button>
        )}
      </div>
      {created && (
        <InitialPassword title={t('user.created', { loginId: created.user.loginId })} password={created.initialPassword}
          onDone={() => setCreated(null)} />
      )}
      {creating && (
        <CreateForm orgId={orgId} owner={isOwner(me)} options={options} onCancel={() => setCreating(false)}
          onCreated={(result) => { setCreated(result); setCreating(false); users.reload(); }} />
      )}
      <div class="card">
        <div class="filters">
          <Field label={t('user.search')}>
            <input type="search" data-testid="user-search" value={typed} placeholder={t('user.searchPlaceholder')}
              onInput={(e) => setTyped(e.currentTarget.value)} maxLength={100} />
          </Field>
          <Field label={t('user.department')}>
            <DeptSelect testid="user-filter-dept" value={departmentId} options={options} onChange={setDepartmentId}
              noneLabel={t('user.allDepartments')} />
          </Field>
        </div>
        <ErrorMessage error={users.error ?? depts.error} />
        {users.data?.length === 0 && <p class="muted" data-testid="user-empty">{t('user.empty')}</p>}
        {!!users.data?.length && (
          <div class="table-wrap">
            <table data-testid="user-list">
              <thead>
                <tr><th>{t('user.displayName')}</th><th>{t('user.loginId')}</th><th>{t('user.department')}</th>
                  <th>{t('user.roles')}</th><th>{t('user.status')}</th></tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <tr key={u.id} data-testid="user-row" data-id={u.id}>
                    <td><a href={`#/users/${u.id}`} data-testid="user-row-name">{u.displayName}</a></td>
                    <td data-testid="user-row-login-id">{u.loginId}</td>
                    <td>{deptName(u.departmentId)}</td>
                    <td>{u.roles.map((r) => t(`role.${r}`)).join('、')}</td>
                    <td><StatusBadges user={u} /></td>
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

export function StatusBadges({ user }: { user: Schemas['User'] }) {
  return (
    <span class="badges">
      <span class={`badge ${user.status}`} data-testid="user-status">{t(`status.${user.status}`)}</span>
      {user.locked && <span class="badge locked" data-testid="user-locked">{t('user.locked')}</span>}
    </span>
  );
}

function CreateForm({ orgId, owner, options, onCancel, onCreated }: {
  orgId: string; owner: boolean; options: DepartmentNode[];
  onCancel: () => void; onCreated: (result: Schemas['CreatedUser']) => void;
}) {
  const [loginId, setLoginId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [departmentId, setDepartmentId] = useState('');
  const [roles, setRoles] = useState<OrgRole[]>(['member']);
  const action = useAction();

  function submit(e: Event) {
    e.preventDefault();
    action.run(async () => onCreated(await api.call('post', '/api/v1/orgs/{orgId}/users', {
      params: { orgId },
      body: { loginId: loginId.trim(), displayName: displayName.trim(), email: email.trim() || null, departmentId: departmentId || null, roles },
    })));
  }

  return (
    <div class="card">
      <h2>{t('user.create')}</h2>
      <form class="grid-form" onSubmit={submit}>
        <Field label={t('user.loginId')} hint={t('user.loginIdHint')}>
          <input data-testid="user-create-login-id" value={loginId} required minLength={3} maxLength={64}
            pattern="[A-Za-z0-9._@\-]+" autoCapitalize="none" spellcheck={false} autoFocus
            onInput={(e) => setLoginId(e.currentTarget.value)} />
        </Field>
        <Field label={t('user.displayName')}>
          <input data-testid="user-create-name" value={displayName} required maxLength={100}
            onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </Field>
        <Field label={t('user.email')}>
          <input type="email" data-testid="user-create-email" value={email} maxLength={254}
            onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field label={t('user.department')}>
          <DeptSelect testid="user-create-dept" value={departmentId} options={options} onChange={setDepartmentId}
            noneLabel={t('user.noDepartment')} />
        </Field>
        <RoleChecks prefix="user-create" value={roles} owner={owner} onChange={setRoles} />
        <ErrorMessage error={action.error} />
        <div class="form-actions">
          <button type="submit" class="button primary" data-testid="user-create-submit" disabled={action.busy}>
            {t('user.createSubmit')}
          </button>
          <button type="button" class="button" data-testid="user-create-cancel" onClick={onCancel}>{t('common.cancel')}</button>
        </div>
      </form>
    </div>
  );
}
