import { t } from '../i18n/i18n';
import { ORG_ROLES, OWNER_ONLY_ROLES, type OrgRole } from '../roles';

/**
 * Role checkboxes `{prefix}-role-{role}`. Owner-only roles are disabled unless `owner`; `member` is always
 * on (the server keeps it).
 */
export function RoleChecks({ prefix, value, owner, onChange }: {
  prefix: string; value: OrgRole[]; owner: boolean; onChange: (roles: OrgRole[]) => void;
}) {
  function toggle(role: OrgRole, on: boolean) {
    onChange(on ? ORG_ROLES.filter((r) => r === role || value.includes(r)) : value.filter((r) => r !== role));
  }
  return (
    <fieldset class="checks">
      <legend>{t('user.roles')}</legend>
      {ORG_ROLES.map((role) => (
        <label key={role} class="check">
          <input type="checkbox" data-testid={`${prefix}-role-${role}`} checked={role === 'member' || value.includes(role)}
            disabled={role === 'member' || (!owner && OWNER_ONLY_ROLES.includes(role))}
            onChange={(e) => toggle(role, e.currentTarget.checked)} />
          {t(`role.${role}`)}
        </label>
      ))}
      {!owner && <p class="field-hint">{t('user.ownerOnlyRoles')}</p>}
    </fieldset>
  );
}
