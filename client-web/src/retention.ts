import type { Schemas } from './api/client';
import { t, type MessageKey } from './i18n/i18n';

export type Retention = Schemas['Retention'];
export type LegalHold = Schemas['LegalHold'];
export type HoldRequest = Schemas['HoldRequest'];
export type HoldScope = HoldRequest['scope'];

export const HOLD_SCOPES: readonly HoldScope[] = ['org', 'room', 'user'];
/** The server's bounds (RetentionService): one day to 100 years. */
export const MIN_DAYS = 1;
export const MAX_DAYS = 36_500;
export const MAX_REASON_CHARS = 500;

/**
 * A period as typed: `''` (or only spaces) means for ever (`null`); otherwise whole days 1..36,500 (full-width
 * digits, as a Japanese IME may type them, are accepted). The error names the message key.
 */
export function parseDays(typed: string): { days: number | null } | { error: MessageKey } {
  const v = typed.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[,，]/g, '');
  if (v === '') return { days: null };
  if (!/^\d{1,6}$/.test(v)) return { error: 'retention.daysInvalid' };
  const days = Number(v);
  return days < MIN_DAYS || days > MAX_DAYS ? { error: 'retention.daysInvalid' } : { days };
}

/** A period for people: 「無期限」, 「365日（約1年）」, 「30日」. */
export function daysText(days: number | null | undefined): string {
  if (days == null) return t('retention.forever');
  const years = days / 365;
  if (days >= 365 && Math.abs(years - Math.round(years)) < 0.01) {
    return t('retention.daysYears', { days: days.toLocaleString('en'), years: Math.round(years) });
  }
  return t('retention.days', { days: days.toLocaleString('en') });
}

/** Holds not yet released, in the order the server gave (active first already). */
export const activeHolds = (holds: readonly LegalHold[]) => holds.filter((h) => h.releasedAt == null);

/** Checks a hold form and turns it into the request. */
export function toHoldRequest(form: { scope: HoldScope; targetId: string; reason: string }): { request: HoldRequest } | { error: MessageKey } {
  if (!HOLD_SCOPES.includes(form.scope)) return { error: 'retention.holdScopeRequired' };
  const targetId = form.targetId.trim();
  if (form.scope !== 'org' && !/^\d{1,19}$/.test(targetId)) {
    return { error: form.scope === 'room' ? 'exports.roomRequired' : 'exports.userRequired' };
  }
  const reason = form.reason.trim();
  if (reason.length === 0 || reason.length > MAX_REASON_CHARS) return { error: 'retention.reasonRequired' };
  const request: HoldRequest = { scope: form.scope, reason };
  if (form.scope !== 'org') request.targetId = targetId;
  return { request };
}

/**
 * What a hold or an export covers, by name when the screen knows it: 「組織全体」, 「部屋：防災係」,
 * 「職員：佐藤 一郎」, or the ID (「部屋 #123」) when it does not.
 */
export function targetText(scope: string, targetId: string | null | undefined,
  names: { rooms?: ReadonlyMap<string, string>; users?: ReadonlyMap<string, string> } = {}): string {
  if (scope === 'org') return t('scope.org');
  const id = targetId ?? '?';
  if (scope === 'room') {
    const name = names.rooms?.get(id);
    return name ? t('scope.roomNamed', { name }) : t('scope.roomId', { id });
  }
  if (scope === 'user') {
    const name = names.users?.get(id);
    return name ? t('scope.userNamed', { name }) : t('scope.userId', { id });
  }
  return `${scope} ${id}`;
}
