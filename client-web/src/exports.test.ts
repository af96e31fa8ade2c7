import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  addDays, anyPending, defaultExportForm, EXPORT_STATES, fallbackExportName, formatBytes, isPending, jstDayStart, jstToday,
  rangeText, shortHash, stateKey, toExportRequest, type ExportForm,
} from './exports';
import { setLang, t, tables } from './i18n/i18n';
import { daysText, parseDays, targetText, toHoldRequest, activeHolds, type LegalHold } from './retention';

beforeEach(() => vi.stubGlobal('document', { documentElement: {}, title: '' }));
afterEach(() => {
  setLang('ja');
  vi.unstubAllGlobals();
});

const form = (over: Partial<ExportForm> = {}): ExportForm => ({ scope: 'room', targetId: '42', from: '2026-11-01', to: '2026-11-30', ...over });

describe('export helpers', () => {
  it('takes JST days, whatever the computer zone, with the last day included', () => {
    // 2026-11-25 16:30 UTC is already 2026-11-26 in Japan.
    expect(jstToday(new Date('2026-11-25T16:30:00Z'))).toBe('2026-11-26');
    expect(jstToday(new Date('2026-11-25T14:59:59Z'))).toBe('2026-11-25');
    expect(jstDayStart('2026-11-26')).toBe('2026-11-26T00:00:00+09:00');
    expect(jstDayStart('2026-02-30')).toBeNull();
    expect(jstDayStart('26-11-26')).toBeNull();
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(defaultExportForm(new Date('2026-11-25T16:30:00Z'))).toEqual({ scope: 'room', targetId: '', from: '2026-10-27', to: '2026-11-26' });
  });

  it('turns a form into the request the server takes', () => {
    expect(toExportRequest(form())).toEqual({
      request: { scope: 'room', targetId: '42', from: '2026-11-01T00:00:00+09:00', to: '2026-12-01T00:00:00+09:00' },
    });
    // One day: [that day 00:00, next day 00:00) in JST.
    expect(toExportRequest(form({ scope: 'user', targetId: ' 7 ', from: '2026-12-31', to: '2026-12-31' }))).toEqual({
      request: { scope: 'user', targetId: '7', from: '2026-12-31T00:00:00+09:00', to: '2027-01-01T00:00:00+09:00' },
    });
    // The organization has no target, even if one was typed before switching.
    const org = toExportRequest(form({ scope: 'org', targetId: '42' }));
    expect(org).toEqual({ request: { scope: 'org', from: '2026-11-01T00:00:00+09:00', to: '2026-12-01T00:00:00+09:00' } });
    expect('request' in org && 'targetId' in org.request).toBe(false);
  });

  it('names what is wrong with a form', () => {
    expect(toExportRequest(form({ targetId: '' }))).toEqual({ error: 'exports.roomRequired' });
    expect(toExportRequest(form({ targetId: '防災係' }))).toEqual({ error: 'exports.roomRequired' });
    expect(toExportRequest(form({ scope: 'user', targetId: '' }))).toEqual({ error: 'exports.userRequired' });
    expect(toExportRequest(form({ from: '' }))).toEqual({ error: 'exports.invalidDate' });
    expect(toExportRequest(form({ to: '2026-11-31' }))).toEqual({ error: 'exports.invalidDate' });
    expect(toExportRequest(form({ from: '2026-12-01', to: '2026-11-30' }))).toEqual({ error: 'exports.rangeInvalid' });
    expect(toExportRequest(form({ scope: 'everything' as never }))).toEqual({ error: 'exports.scopeRequired' });
  });

  it('polls only while an export is queued or running', () => {
    expect(isPending({ state: 'queued' })).toBe(true);
    expect(isPending({ state: 'running' })).toBe(true);
    expect(isPending({ state: 'done' })).toBe(false);
    expect(anyPending(undefined)).toBe(false);
    expect(anyPending([])).toBe(false);
    expect(anyPending([{ state: 'done' }, { state: 'failed' }, { state: 'expired' }])).toBe(false);
    expect(anyPending([{ state: 'done' }, { state: 'running' }])).toBe(true);
  });

  it('labels every state in both languages, and leaves an unknown one as it is', () => {
    expect(EXPORT_STATES.map((s) => t(stateKey(s)!))).toEqual(['待機中', '作成中', '完了', '失敗', '期限切れ']);
    for (const s of EXPORT_STATES) expect(tables.en[stateKey(s)!]).toBeTruthy();
    expect(stateKey('cancelled')).toBeNull();
  });

  it('shows sizes, hashes, ranges and file names', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatBytes(-1)).toBe('—');
    const sha = '3f2a9c01b7e4d5c6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4';
    expect(shortHash(sha)).toBe('3f2a9c01b7e4…');
    expect(shortHash(null)).toBeNull();
    expect(rangeText('2026-10-31T15:00:00Z', '2026-11-30T15:00:00Z')).toBe('2026-11-01 – 2026-11-30');
    expect(fallbackExportName('99')).toBe('kairan-export-99.zip');
  });
});

describe('retention helpers', () => {
  it('reads days: empty is for ever, whole days 1..36500, full-width digits too', () => {
    expect(parseDays('')).toEqual({ days: null });
    expect(parseDays('  ')).toEqual({ days: null });
    expect(parseDays('1825')).toEqual({ days: 1825 });
    expect(parseDays('１８２５')).toEqual({ days: 1825 });
    expect(parseDays('1,825')).toEqual({ days: 1825 });
    expect(parseDays('0')).toEqual({ error: 'retention.daysInvalid' });
    expect(parseDays('36501')).toEqual({ error: 'retention.daysInvalid' });
    expect(parseDays('1.5')).toEqual({ error: 'retention.daysInvalid' });
    expect(parseDays('-3')).toEqual({ error: 'retention.daysInvalid' });
  });

  it('shows periods', () => {
    expect(daysText(null)).toBe('無期限');
    expect(daysText(30)).toBe('30日');
    expect(daysText(1825)).toBe('1,825日（約5年）');
    expect(daysText(400)).toBe('400日');
    setLang('en');
    expect(daysText(null)).toBe('Forever');
    expect(daysText(365)).toBe('365 days (about 1 yr)');
  });

  it('checks a hold and names its target', () => {
    expect(toHoldRequest({ scope: 'org', targetId: '5', reason: ' 訴訟対応 ' })).toEqual({ request: { scope: 'org', reason: '訴訟対応' } });
    expect(toHoldRequest({ scope: 'room', targetId: '5', reason: 'x' })).toEqual({ request: { scope: 'room', targetId: '5', reason: 'x' } });
    expect(toHoldRequest({ scope: 'user', targetId: '', reason: 'x' })).toEqual({ error: 'exports.userRequired' });
    expect(toHoldRequest({ scope: 'room', targetId: '5', reason: '  ' })).toEqual({ error: 'retention.reasonRequired' });
    expect(toHoldRequest({ scope: 'room', targetId: '5', reason: 'x'.repeat(501) })).toEqual({ error: 'retention.reasonRequired' });
    const names = { rooms: new Map([['5', '防災係']]), users: new Map([['7', '佐藤 一郎']]) };
    expect(targetText('org', null, names)).toBe('組織全体');
    expect(targetText('room', '5', names)).toBe('部屋：防災係');
    expect(targetText('room', '6', names)).toBe('部屋 #6');
    expect(targetText('user', '7', names)).toBe('職員：佐藤 一郎');
    expect(targetText('user', '8')).toBe('職員 #8');
  });

  it('finds the active holds', () => {
    const hold = (id: string, releasedAt: string | null): LegalHold => ({
      id, scope: 'org', targetId: null, reason: 'r', createdBy: '1', createdAt: '2026-11-26T00:00:00Z', releasedAt,
      releasedBy: releasedAt ? '1' : null, releaseReason: releasedAt ? 'done' : null,
    });
    expect(activeHolds([hold('1', null), hold('2', '2026-11-27T00:00:00Z')]).map((h) => h.id)).toEqual(['1']);
  });
});
