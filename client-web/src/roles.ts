import type { Schemas } from './api/client';

type Me = Schemas['Me'];
export type OrgRole = Schemas['OrgRole'];

export const ORG_ROLES: OrgRole[] = ['owner', 'admin', 'dept_head', 'auditor', 'member'];
/** Roles that only an owner may grant or take away. */
export const OWNER_ONLY_ROLES: OrgRole[] = ['owner', 'admin', 'auditor'];

export const isOperator = (me: Me) => me.roles.includes('operator');
export const isOwner = (me: Me) => me.roles.includes('owner');
export const isOrgAdmin = (me: Me) => me.roles.includes('owner') || me.roles.includes('admin');
/** Auditors export rooms, users' talks and the organization (HTTP-API.md "Exports"). */
export const isAuditor = (me: Me) => !!me.orgId && me.roles.includes('auditor');
export const isDeptHead = (me: Me) => me.roles.includes('dept_head');
/** Owners and admins manage every device of the organization; department heads those of their department. */
export const canManageDevices = (me: Me) => !!me.orgId && (isOrgAdmin(me) || isDeptHead(me));

/**
 * Whether `me` may manage a user who holds `targetRoles` — edit, suspend, reset, unlock them, decide on their
 * devices: an owner, admin or auditor is managed only by an owner (HTTP-API.md "Role rules"). Whether `me`
 * manages users at all is asked separately.
 */
export const mayManage = (me: Me, targetRoles: readonly string[]) =>
  isOwner(me) || !targetRoles.some((r) => (OWNER_ONLY_ROLES as string[]).includes(r));

/**
 * Whether `me` may approve their own new device: only an owner, and only when no other active owner could
 * (DEVICES.md); otherwise another owner approves it.
 */
export const mayApproveOwnDevice = (me: Me, users: readonly Schemas['User'][]) =>
  isOwner(me) && !users.some((u) => u.id !== me.id && u.status === 'active' && u.roles.includes('owner'));
