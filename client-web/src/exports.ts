import type { Schemas } from './api/client';
import type { MessageKey } from './i18n/i18n';

export type ExportJob = Schemas['ExportJob'];
export type ExportRequest = Schemas['ExportRequest'];
export type ExportScope = ExportRequest['scope'];
export type ExportState = ExportJob['state'];

export const EXPORT_SCOPES: readonly ExportScope[] = ['room', 'user', 'org'];
export const EXPORT_STATES: readonly ExportState[] = ['queued', 'running', 'done', 'failed', 'expired'];

/** How often the list is read again while an export is being built. */
export const POLL_MS = 2_000;
/** How many hex digits of a SHA-256 the list shows (the copy button copies all 64). */
export const SHORT_HASH = 12;

const JST_ZONE = 'Asia/Tokyo';
const DAY_MS = 86_400_000;

/** The export form as typed: `from`/`to` are `date` values (`2026-11-26`) read as JST days, `to` included. */
export interface ExportForm {
  scope: ExportScope;
  targetId: string;
  from: string;
  to: string;
}

/** Today in JST as a `date` value, whatever the computer's zone. */
export function jstToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: JST_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A `date` value `days` days from `date` (negative: earlier); null when `date` is not one. */
export function addDays(date: string, days: number): string | null {
  const ms = dayMs(date);
  if (ms === null) return null;
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

/** The form a screen opens with: the last 30 days up to today (JST). */
export function defaultExportForm(now: Date = new Date()): ExportForm {
  const to = jstToday(now);
  return { scope: 'room', targetId: '', from: addDays(to, -30) ?? to, to };
}

/** The start of a JST day as an ISO time (`2026-11-26T00:00:00+09:00`); null when not a valid date. */
export function jstDayStart(date: string): string | null {
  return dayMs(date.trim()) === null ? null : `${date.trim()}T00:00:00+09:00`;
}

/** A `YYYY-MM-DD` that names a real day, as milliseconds of its UTC midnight; else null. */
function dayMs(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Reject days that roll over (2026-02-30).
  return new Date(ms).toISOString().slice(0, 10) === date ? ms : null;
}

/**
 * Checks a form and turns it into the request: `from` is the start of its JST day, `to` the start of the day
 * after (the server's range is `[from, to)`, the form's last day is included). The error names the message key.
 */
export function toExportRequest(form: ExportForm): { request: ExportRequest } | { error: MessageKey } {
  if (!EXPORT_SCOPES.includes(form.scope)) return { error: 'exports.scopeRequired' };
  const targetId = form.targetId.trim();
  if (form.scope !== 'org' && !/^\d{1,19}$/.test(targetId)) {
    return { error: form.scope === 'room' ? 'exports.roomRequired' : 'exports.userRequired' };
  }
  const from = jstDayStart(form.from);
  const last = dayMs(form.to.trim());
  if (from === null || last === null) return { error: 'exports.invalidDate' };
  const to = jstDayStart(new Date(last + DAY_MS).toISOString().slice(0, 10));
  if (to === null || new Date(from).getTime() >= new Date(to).getTime()) return { error: 'exports.rangeInvalid' };
  const request: ExportRequest = { scope: form.scope, from, to };
  if (form.scope !== 'org') request.targetId = targetId;
  return { request };
}

/** Whether the server is still working on it. */
export const isPending = (job: Pick<ExportJob, 'state'>) => job.state === 'queued' || job.state === 'running';

/** Whether the list should be read again soon. */
export const anyPending = (jobs: readonly Pick<ExportJob, 'state'>[] | null | undefined) => !!jobs?.some(isPending);

/** The label key of a state; an unknown state (a newer server) shows as it is. */
export function stateKey(state: string): MessageKey | null {
  return (EXPORT_STATES as readonly string[]).includes(state) ? (`exports.state.${state}` as MessageKey) : null;
}

/** A size as people read it: `532 B`, `12.3 KB`, `4.5 MB` (1 KB = 1,024 bytes). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[unit]}`;
}

/** The beginning of a hash, for a narrow column: `3f2a9c01b7e4…`; null when there is none. */
export function shortHash(sha256: string | null | undefined): string | null {
  if (!sha256) return null;
  return sha256.length > SHORT_HASH ? `${sha256.slice(0, SHORT_HASH)}…` : sha256;
}

/** The last day a `[from, to)` range includes, in JST, when `to` is a JST midnight (as this screen asks for). */
export function rangeText(from: string, to: string): string {
  const day = (iso: string) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : jstToday(d);
  };
  const end = new Date(new Date(to).getTime() - 1);
  return `${day(from)} – ${Number.isNaN(end.getTime()) ? to : jstToday(end)}`;
}

/** A name for a downloaded archive when the server gave none. */
export const fallbackExportName = (exportId: string) => `kairan-export-${exportId}.zip`;
