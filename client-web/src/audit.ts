import type { Schemas } from './api/client';
import { t, tables, type MessageKey } from './i18n/i18n';

type AuditEntry = Schemas['AuditEntry'];

/** The audit actions the server records (AuditAction.java), each with a label in both languages. */
export const AUDIT_ACTIONS: readonly string[] = [
  'auth.password.ok', 'auth.login.succeeded', 'auth.login.failed', 'auth.account.locked', 'auth.account.unlocked',
  'auth.otp.failed', 'auth.otp.mailed', 'auth.totp.enrolled', 'auth.password.changed', 'auth.password.reset',
  'auth.refresh.reused', 'auth.logout', 'auth.dpop.replayed', 'server.operator.created', 'org.created',
  'org.updated', 'org.factors.changed', 'org.department.created', 'org.department.updated', 'org.department.deleted',
  'org.user.created', 'org.user.updated', 'org.user.status.changed', 'org.user.roles.changed', 'org.user.action-denied',
  'room.created',
  'room.renamed', 'room.archived', 'room.restored', 'room.members.added', 'room.member.removed',
  'room.member.role.changed', 'room.read.by-owner', 'message.deleted', 'device.registered', 'device.approved',
  'device.rejected', 'device.revoked', 'device.wipe-confirmed', 'device.action-denied', 'device.refused',
  'policy.message.blocked', 'policy.warning.confirmed', 'policy.emergency.class-i-sent',
  'policy.emergency.requested', 'policy.emergency.approved', 'policy.emergency.ended', 'policy.emergency.expired',
  'policy.room-ceiling.changed', 'policy.org.changed', 'policy.terms.changed', 'policy.action-denied',
  'retention.changed', 'retention.purged', 'retention.hold.placed', 'retention.hold.released', 'export.requested',
  'export.completed', 'export.downloaded', 'export.expired', 'audit.viewed', 'audit.exported',
];

/** Prefixes that find a whole area (`policy.` finds every policy action). */
export const AUDIT_GROUPS: readonly string[] = [
  'auth.', 'org.', 'room.', 'message.', 'device.', 'policy.', 'retention.', 'export.', 'audit.', 'server.',
];

/** Japan's offset; the screen shows and takes times in JST whatever the computer's zone. */
const JST = '+09:00';
const JST_ZONE = 'Asia/Tokyo';

/** The label of an action, or null for one this client does not know (shown as its wire name). */
export function actionLabel(action: string): string | null {
  const key = `auditAction.${action}`;
  return key in tables.ja ? t(key as MessageKey) : null;
}

/** The label of a prefix group (`auth.` → 認証・サインイン), or null. */
export function groupLabel(prefix: string): string | null {
  const key = `auditGroup.${prefix}`;
  return key in tables.ja ? t(key as MessageKey) : null;
}

/** The filter form as typed: `from`/`to` are `datetime-local` values, read as JST. */
export interface AuditForm {
  actor: string;
  action: string;
  from: string;
  to: string;
}

export const EMPTY_FORM: AuditForm = { actor: '', action: '', from: '', to: '' };

/** The query parameters the API takes, from a form; unset ones left out. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

/**
 * A `datetime-local` value (`2026-11-26T09:00`, seconds optional) as an ISO time in JST
 * (`2026-11-26T09:00:00+09:00`); undefined when empty, null when malformed.
 */
export function jstToIso(local: string): string | undefined | null {
  const v = local.trim();
  if (v === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '00'] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${JST}`;
  const date = new Date(iso);
  // Reject dates that roll over (2026-02-30) rather than search a day nobody meant.
  if (Number.isNaN(date.getTime()) || jstParts(date).slice(0, 3).join('-') !== `${y}-${mo}-${d}`) return null;
  return iso;
}

/** Checks and converts a form; the error names the message key to show. */
export function toFilter(form: AuditForm): { filter: AuditFilter } | { error: MessageKey } {
  const from = jstToIso(form.from);
  const to = jstToIso(form.to);
  if (from === null || to === null) return { error: 'audit.invalidTime' };
  if (from && to && new Date(from).getTime() >= new Date(to).getTime()) return { error: 'audit.rangeInvalid' };
  const filter: AuditFilter = {};
  if (form.actor.trim()) filter.actor = form.actor.trim();
  if (form.action.trim()) filter.action = form.action.trim();
  if (from) filter.from = from;
  if (to) filter.to = to;
  return { filter };
}

function jstParts(date: Date): string[] {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: JST_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    second: '2-digit', hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
}

/** An event's time in JST to the second: `2026/11/26 09:00:05` (ja) or `Nov 26, 2026, 09:00:05` (en). */
export function jstDateTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, {
    timeZone: JST_ZONE, year: 'numeric', month: locale === 'ja' ? '2-digit' : 'short', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
}

/** Who acted: the display name and login ID when known. */
export function actorText(e: AuditEntry): { name: string | null; login: string | null } {
  return { name: e.actorName ?? null, login: e.actorLogin ?? (e.actorId ? `#${e.actorId}` : null) };
}

/** What was acted on: `user 1234`, or null. */
export function targetText(e: AuditEntry): string | null {
  if (!e.targetType && !e.targetId) return null;
  return [e.targetType, e.targetId].filter(Boolean).join(' ');
}

/** The detail as recorded, as compact JSON; null when there is none. */
export function detailText(detail: AuditEntry['detail']): string | null {
  if (detail == null || Object.keys(detail).length === 0) return null;
  return JSON.stringify(detail);
}

/** A name for a downloaded export when the server gave none. */
export function fallbackFileName(orgId: string, now: Date = new Date()): string {
  const [y, mo, d, h, mi, s] = jstParts(now);
  return `kairan-audit-${orgId}-${y}${mo}${d}-${h}${mi}${s}.csv`;
}

/** Hands a Blob to the browser as a file download. */
export function saveBlob(blob: Blob, fileName: string, doc: Document = document): void {
  const href = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = href;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the object URL goes.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
