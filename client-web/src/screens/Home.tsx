import { api, type Schemas } from '../api/client';
import { useLoad } from '../hooks';
import { t } from '../i18n/i18n';

/** Welcome and profile (`#/home`; for the operator also `#/`). */
export function Home({ me }: { me: Schemas['Me'] }) {
  const orgId = me.orgId;
  const depts = useLoad(
    () => (orgId && me.departmentId ? api.call('get', '/api/v1/orgs/{orgId}/departments', { params: { orgId } }) : Promise.resolve([])),
    [orgId, me.departmentId],
  );
  const department = depts.data?.find((d) => d.id === me.departmentId)?.name ?? '—';
  return (
    <section class="page">
      <h1 data-testid="home-welcome">{t('home.welcome', { name: me.displayName })}</h1>
      {orgId && <p class="muted">{t('home.intro')}</p>}
      <div class="card">
        <h2>{t('home.profile')}</h2>
        <dl class="profile">
          <dt>{t('user.loginId')}</dt><dd data-testid="profile-login-id">{me.loginId}</dd>
          <dt>{t('home.org')}</dt><dd data-testid="profile-org">{me.orgName ?? t('header.operator')}</dd>
          <dt>{t('user.department')}</dt><dd data-testid="profile-department">{department}</dd>
          <dt>{t('user.roles')}</dt>
          <dd data-testid="profile-roles">{me.roles.map((r) => t(`role.${r}`)).join('、') || '—'}</dd>
          <dt>{t('user.email')}</dt><dd data-testid="profile-email">{me.email ?? '—'}</dd>
          <dt>{t('user.totp')}</dt>
          <dd data-testid="profile-totp">{me.totpEnrolled ? t('user.totpYes') : t('user.totpNo')}</dd>
        </dl>
        <p><a href="#/devices" data-testid="profile-devices">{t('devices.home')}</a></p>
      </div>
    </section>
  );
}
