import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  actionLabel, actorText, AUDIT_ACTIONS, AUDIT_GROUPS, detailText, fallbackFileName, groupLabel, jstDateTime, jstToIso,
  targetText, toFilter,
} from './audit';
import { setLang } from './i18n/i18n';
import type { Schemas } from './api/client';

const entry = (over: Partial<Schemas['AuditEntry']> = {}): Schemas['AuditEntry'] => ({
  id: '9', chainSeq: 3, occurredAt: '2026-11-26T00:00:05Z', actorId: '7', actorLogin: 'tanaka', actorName: '田中 次郎',
  action: 'org.user.created', targetType: 'user', targetId: '42', ip: '192.0.2.1', requestId: 'abc', detail: null, ...over,
});

beforeEach(() => vi.stubGlobal('document', { documentElement: {}, title: '' }));
afterEach(() => {
  setLang('ja');
  vi.unstubAllGlobals();
});

describe('audit view helpers', () => {
  it('labels every known action in both languages and leaves unknown ones to their wire name', () => {
    for (const a of AUDIT_ACTIONS) expect(actionLabel(a), a).toBeTruthy();
    for (const g of AUDIT_GROUPS) expect(groupLabel(g), g).toBeTruthy();
    expect(actionLabel('org.user.created')).toBe('ユーザーの作成');
    expect(actionLabel('audit.exported')).toBe('監査ログのCSV出力');
    setLang('en');
    expect(actionLabel('audit.exported')).toBe('Audit log exported');
    expect(actionLabel('retention.hold.placed')).toBe('Legal hold placed');
    expect(actionLabel('future.thing.happened')).toBeNull();
    expect(actionLabel('toString')).toBeNull();
  });

  it('reads the time fields as JST, whatever the computer says', () => {
    expect(jstToIso('')).toBeUndefined();
    expect(jstToIso('2026-11-26T09:00')).toBe('2026-11-26T09:00:00+09:00');
    expect(jstToIso('2026-11-26T09:00:30')).toBe('2026-11-26T09:00:30+09:00');
    expect(new Date(jstToIso('2026-11-26T09:00')!).toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(jstToIso('2026-02-30T09:00')).toBeNull();
    expect(jstToIso('26/11/2026 09:00')).toBeNull();
    expect(jstToIso('2026-11-26')).toBeNull();
  });

  it('turns the form into query parameters, refusing a bad range before asking the server', () => {
    expect(toFilter({ actor: '  tana ', action: 'policy.', from: '', to: '' })).toEqual({ filter: { actor: 'tana', action: 'policy.' } });
    expect(toFilter({ actor: '', action: '', from: '2026-11-26T09:00', to: '2026-11-27T09:00' })).toEqual({
      filter: { from: '2026-11-26T09:00:00+09:00', to: '2026-11-27T09:00:00+09:00' },
    });
    expect(toFilter({ actor: '', action: '', from: '2026-11-27T09:00', to: '2026-11-26T09:00' })).toEqual({ error: 'audit.rangeInvalid' });
    expect(toFilter({ actor: '', action: '', from: '2026-11-26T09:00', to: '2026-11-26T09:00' })).toEqual({ error: 'audit.rangeInvalid' });
    expect(toFilter({ actor: '', action: '', from: 'soon', to: '' })).toEqual({ error: 'audit.invalidTime' });
    expect(toFilter({ actor: ' ', action: ' ', from: '', to: '' })).toEqual({ filter: {} });
  });

  it('shows times in JST to the second', () => {
    expect(jstDateTime('2026-11-26T00:00:05Z', 'ja')).toBe('2026/11/26 09:00:05');
    expect(jstDateTime('2026-11-26T15:30:00.123456Z', 'ja')).toBe('2026/11/27 00:30:00');
    expect(jstDateTime('2026-11-26T00:00:05Z', 'en')).toContain('09:00:05');
    expect(jstDateTime('not a time', 'ja')).toBe('not a time');
  });

  it('describes actor, target and detail, with nothing made up for what is missing', () => {
    expect(actorText(entry())).toEqual({ name: '田中 次郎', login: 'tanaka' });
    expect(actorText(entry({ actorName: null, actorLogin: null }))).toEqual({ name: null, login: '#7' });
    expect(actorText(entry({ actorId: null, actorName: null, actorLogin: null }))).toEqual({ name: null, login: null });
    expect(targetText(entry())).toBe('user 42');
    expect(targetText(entry({ targetType: null, targetId: null }))).toBeNull();
    expect(detailText(null)).toBeNull();
    expect(detailText({})).toBeNull();
    expect(detailText({ roles: ['admin'], count: 2 })).toBe('{"roles":["admin"],"count":2}');
  });

  it('names an export in JST when the server gave no name', () => {
    expect(fallbackFileName('10', new Date('2026-11-26T15:04:05Z'))).toBe('kairan-audit-10-20261127-000405.csv');
  });
});
