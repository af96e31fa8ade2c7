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
