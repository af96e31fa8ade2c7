import { describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../gateway/connection';
import type { ErrorReply } from '../gateway/frames';
import { ApiClient, ApiError, type ErrorBody } from './client';
import {
  allowedCeilings, context, invalidTerms, termIndexOfField, emergencyActive, findingLine, markSpans, parseCheckResult, parseFinding, parseFindings,
  parseOrgPolicy, parseRoomPolicy, parseTermsView, PolicyApi, policyRefusal, reportable, worstClass, type Finding,
} from './policy';

// The finding of POLICY.md, on `マイナンバーは 1234 5678 9018 です`.
const TEXT = 'マイナンバーは 1234 5678 9018 です';
const WIRE = {
  detector: 'my_number', class: 'I', verdict: 'block', start: 8, end: 22, excerpt: '****-****-9018', label: 'My Number', labelJa: 'マイナンバー',
};
const FINDING = WIRE as Finding;

describe('reading findings', () => {
  it('reads the finding of POLICY.md unchanged, and its span is the number in the text', () => {
    expect(parseFinding(WIRE)).toEqual(WIRE);
    expect(TEXT.slice(FINDING.start, FINDING.end)).toBe('1234 5678 9018');
  });

  it('shows an unknown detector by its labels, and falls back to the detector id without labels', () => {
    expect(parseFinding({ ...WIRE, detector: 'passport', label: 'Passport', labelJa: '旅券番号' }))
      .toMatchObject({ detector: 'passport', labelJa: '旅券番号' });
    expect(parseFinding({ ...WIRE, detector: 'new_one', label: undefined, labelJa: undefined }))
      .toMatchObject({ label: 'new_one', labelJa: 'new_one' });
  });

  it('drops what is not a finding and keeps the rest in order', () => {
    const list = parseFindings([
      WIRE, null, 'x', { ...WIRE, class: 'V' }, { ...WIRE, verdict: 'maybe' }, { ...WIRE, start: 5, end: 2 }, { ...WIRE, start: '8' },
      { ...WIRE, detector: 'welfare', start: 0, end: 2 },
    ]);
    expect(list.map((f) => f.detector)).toEqual(['my_number', 'welfare']);
    expect(parseFindings(undefined)).toEqual([]);
    expect(parseFindings({ 0: WIRE })).toEqual([]);
  });

  it('reads a check answer', () => {
    expect(parseCheckResult({ verdict: 'block', class: 'I', ceiling: 'II', emergency: false, findings: [WIRE] }))
      .toEqual({ verdict: 'block', class: 'I', ceiling: 'II', emergency: false, findings: [FINDING] });
    expect(parseCheckResult({ verdict: 'allow', ceiling: 'II' })).toEqual({
      verdict: 'allow', class: 'IV', ceiling: 'II', emergency: false, findings: [],
    });
    expect(parseCheckResult({ verdict: 'nope', ceiling: 'II' })).toBeNull();
    expect(parseCheckResult(null)).toBeNull();
  });

  it('writes a finding as the label and the masked excerpt', () => {
    expect(findingLine(FINDING, 'ja')).toBe('マイナンバー ****-****-9018');
    expect(findingLine(FINDING, 'en')).toBe('My Number ****-****-9018');
    expect(findingLine({ ...FINDING, excerpt: '' }, 'ja')).toBe('マイナンバー');
  });
});

describe('reading room and org policies', () => {
  const emergency = {
    state: 'active', reason: '児童の安全確認', hours: 24, requestedBy: '12', requestedByName: '山田 花子',
    requestedAt: '2026-11-26T05:00:00Z', approvedBy: '14', approvedByName: '田中 次郎', approvedAt: '2026-11-26T05:10:00Z',
    endsAt: '2026-11-27T05:10:00Z',
  };

  it('reads the room policy of POLICY.md', () => {
    expect(parseRoomPolicy({ ceiling: 'II', ownCeiling: null, orgDefault: 'II', effectiveCeiling: 'II', emergency: null }))
      .toEqual({ ceiling: 'II', ownCeiling: null, orgDefault: 'II', effectiveCeiling: 'II', emergency: null });
    expect(parseRoomPolicy({ ceiling: 'III', ownCeiling: 'III', orgDefault: 'II', effectiveCeiling: 'I', emergency }))
      .toEqual({ ceiling: 'III', ownCeiling: 'III', orgDefault: 'II', effectiveCeiling: 'I', emergency });
  });

  it('reads a pending emergency with its nulls, and works out the effective ceiling when it is missing', () => {
    const pending = { ...emergency, state: 'pending', approvedBy: null, approvedByName: null, approvedAt: null, endsAt: null };
    expect(parseRoomPolicy({ ceiling: 'II', emergency: pending })).toMatchObject({
      effectiveCeiling: 'II', orgDefault: 'II', emergency: { state: 'pending', approvedBy: null, endsAt: null },
    });
    expect(parseRoomPolicy({ ceiling: 'II', emergency })?.effectiveCeiling).toBe('I');
    expect(parseRoomPolicy({ ceiling: 'II', emergency: { state: 'over' } })?.emergency).toBeNull();
  });

  it('is null for no policy (a server without POLICY.md)', () => {
    expect(parseRoomPolicy(undefined)).toBeNull();
    expect(parseRoomPolicy({ ceiling: 'X' })).toBeNull();
  });

  it('says whether an emergency is active now, ending by itself at endsAt', () => {
    const policy = parseRoomPolicy({ ceiling: 'II', emergency })!;
    expect(emergencyActive(policy, Date.parse('2026-11-27T05:09:59Z'))).toBe(true);
    expect(emergencyActive(policy, Date.parse('2026-11-27T05:10:00Z'))).toBe(false);
    expect(emergencyActive(parseRoomPolicy({ ceiling: 'II', emergency: { ...emergency, state: 'pending' } }))).toBe(false);
    expect(emergencyActive(null)).toBe(false);
  });

  it('reads the org policy, with the default hours when they are missing', () => {
    expect(parseOrgPolicy({ defaultCeiling: 'III', emergencyMaxHours: 48, emergencySingleApprover: true }))
      .toEqual({ defaultCeiling: 'III', emergencyMaxHours: 48, emergencySingleApprover: true });
    expect(parseOrgPolicy({ defaultCeiling: 'II' })).toEqual({ defaultCeiling: 'II', emergencyMaxHours: 72, emergencySingleApprover: false });
    expect(parseOrgPolicy({})).toBeNull();
  });

  it('reads the terms, the categories and the built-in words', () => {
    const view = parseTermsView({
      terms: [{ category: 'welfare', kind: 'cue', term: '就労自立給付金' }, { category: 'tax', kind: 'other', term: 'x' }],
      categories: ['welfare', 'tax'],
      builtIn: { welfare: { cue: ['生活保護', 3], guard: ['制度'] }, tax: 'broken' },
    });
    expect(view).toEqual({
      terms: [{ category: 'welfare', kind: 'cue', term: '就労自立給付金' }],
      categories: ['welfare', 'tax'],
      builtIn: { welfare: { cue: ['生活保護'], guard: ['制度'] } },
    });
    expect(parseTermsView({ terms: [] })?.categories).toContain('resident_registry');
    expect(parseTermsView({})).toBeNull();
  });
});

describe('refusals', () => {
  const reply = (code: string, findings?: unknown): ErrorReply => ({
    type: 'error', re: 'r1', code, message: 'Blocked', messageJa: '送信できません', retryable: false,
    detail: 'My Number ****-****-9018', ...(findings === undefined ? {} : { findings }),
  } as ErrorReply);
  const body = (code: string, findings?: unknown) => ({
    code, message: 'x', messageJa: 'x', retryable: false, requestId: 'q', findings,
  } as unknown as ErrorBody);

  it('reads content_blocked and confirmation_required from the gateway error frame, with their findings', () => {
    expect(policyRefusal(GatewayError.from(reply('content_blocked', [WIRE])))).toEqual({ code: 'content_blocked', findings: [FINDING] });
    expect(policyRefusal(GatewayError.from(reply('confirmation_required', [{ ...WIRE, verdict: 'warn' }]))))
      .toEqual({ code: 'confirmation_required', findings: [{ ...FINDING, verdict: 'warn' }] });
  });

  it('reads them from an HTTP error body too', () => {
    expect(policyRefusal(new ApiError(422, 'content_blocked' as ErrorBody['code'], body('content_blocked', [WIRE]), 'q')))
      .toEqual({ code: 'content_blocked', findings: [FINDING] });
  });

  it('is a refusal without findings when they are missing, and null for other errors', () => {
    expect(policyRefusal(GatewayError.from(reply('content_blocked')))).toEqual({ code: 'content_blocked', findings: [] });
    expect(policyRefusal(GatewayError.from(reply('rate_limited')))).toBeNull();
    expect(policyRefusal(new GatewayError('offline'))).toBeNull();
    expect(policyRefusal(new ApiError(0, 'network_error', null, null))).toBeNull();
    expect(policyRefusal(new Error('x'))).toBeNull();
  });
});

describe('classes and marks', () => {
  it('lets room owners choose the org default or stricter, org owners anything', () => {
    expect(allowedCeilings('II', false)).toEqual(['II', 'III', 'IV']);
    expect(allowedCeilings('III', false)).toEqual(['III', 'IV']);
    expect(allowedCeilings('II', true)).toEqual(['I', 'II', 'III', 'IV']);
  });

  it('finds the most sensitive class', () => {
    expect(worstClass([{ ...FINDING, class: 'II' }, FINDING])).toBe('I');
    expect(worstClass([])).toBe('IV');
  });

  it('cuts the text at the spans to mark, never overlapping, ignoring allowed and out-of-range ones', () => {
    const welfare: Finding = { ...FINDING, detector: 'welfare', verdict: 'warn', start: 0, end: 6 };
    const parts = markSpans(TEXT, [FINDING, welfare, { ...FINDING, verdict: 'allow', start: 23, end: 25 }, { ...FINDING, start: 30, end: 99 }]);
    expect(parts.map((p) => [p.text, p.mark?.detector ?? null])).toEqual([
      ['マイナンバー', 'welfare'], ['は ', null], ['1234 5678 9018', 'my_number'], [' です', null],
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(TEXT);
    const overlapping = markSpans('abcdefgh', [{ ...FINDING, start: 1, end: 5 }, { ...FINDING, detector: 'x', start: 3, end: 7 }]);
    expect(overlapping.map((p) => p.text)).toEqual(['a', 'bcde', 'fg', 'h']);
    expect(markSpans('', [])).toEqual([{ text: '', mark: null }]);
  });

  it('indexes by UTF-16 code units, as JavaScript strings do', () => {
    const text = '𠮷野さん 1234 5678 9018';
    const f = { ...FINDING, start: 6, end: 20 };
    expect(markSpans(text, [f]).find((p) => p.mark)?.text).toBe('1234 5678 9018');
  });

  it('lists each reportable span once, in text order', () => {
    const a = { ...FINDING, start: 10, end: 12 };
    expect(reportable([a, FINDING, { ...FINDING }, { ...FINDING, verdict: 'allow' }])).toEqual([FINDING, a]);
  });

  it('gives the context around a finding', () => {
    expect(context(TEXT, FINDING, 3)).toEqual({ before: '…ーは ', marked: '1234 5678 9018', after: ' です' });
    expect(context(TEXT, { ...FINDING, start: 0, end: 6 }, 2)).toEqual({ before: '', marked: 'マイナンバー', after: 'は …' });
    // Never half a surrogate pair at the cut.
    expect(context('𠮷𠮷123', { ...FINDING, start: 4, end: 7 }, 1).before).toBe('…𠮷');
    expect(context('123𠮷𠮷', { ...FINDING, start: 0, end: 3 }, 1).after).toBe('𠮷…');
  });
});

describe('terms', () => {
  it('finds words that are empty or longer than 40 characters', () => {
    const term = (w: string) => ({ category: 'welfare' as const, kind: 'cue' as const, term: w });
    expect(invalidTerms([term('就労自立給付金'), term('  '), term('あ'.repeat(40)), term('あ'.repeat(41)), term('😀'.repeat(40))]))
      .toEqual([1, 3]);
  });

  it('finds the term a server error names', () => {
    expect(termIndexOfField('terms[3].term')).toBe(3);
    expect(termIndexOfField('terms.12')).toBe(12);
    expect(termIndexOfField('terms')).toBeNull();
    expect(termIndexOfField(null)).toBeNull();
  });
});

describe('PolicyApi', () => {
  function stub(answer: (url: string, init: RequestInit) => Response) {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), init: init ?? {} });
      return answer(String(input), init ?? {});
    });
    const client = new ApiClient(fetchFn as typeof fetch);
    client.setSession({ accessToken: 't', tokenType: 'DPoP', expiresIn: 300, user: {
      id: '11', loginId: 'yamada', displayName: '山田', orgId: '1', orgName: '架空市', departmentId: null, email: null, roles: ['owner'], totpEnrolled: true,
    } });
    return { calls, policy: new PolicyApi(client) };
  }
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('checks a draft', async () => {
    const { calls, policy } = stub(() => json(200, { verdict: 'block', class: 'I', ceiling: 'II', emergency: false, findings: [WIRE] }));
    const result = await policy.check('7', TEXT);
    expect(result.findings).toEqual([FINDING]);
    expect(calls[0].url).toBe('/api/v1/rooms/7/messages/check');
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ text: TEXT });
  });

  it('reports a cancelled check as aborted, and a strange answer as bad_response', async () => {
    const aborting = stub((_, init) => {
      if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      return json(200, {});
    });
    const controller = new AbortController();
    controller.abort();
    await expect(aborting.policy.check('7', 'x', controller.signal)).rejects.toMatchObject({ code: 'aborted' });
    await expect(aborting.policy.check('7', 'x')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('puts ceilings, org policies and terms, and calls the emergency endpoints', async () => {
    const roomPolicy = { ceiling: 'III', ownCeiling: 'III', orgDefault: 'II', effectiveCeiling: 'III', emergency: null };
    const org = { defaultCeiling: 'II' as const, emergencyMaxHours: 72, emergencySingleApprover: true };
    const { calls, policy } = stub((url) => {
      if (url.endsWith('/terms')) return json(200, { terms: [{ category: 'welfare', kind: 'cue', term: '就労自立給付金' }], categories: [], builtIn: {} });
      if (url.startsWith('/api/v1/orgs/')) return json(200, { id: '1', name: '回覧市', policy: org });
      return json(200, roomPolicy);
    });
    expect(await policy.setCeiling('7', 'III')).toEqual(roomPolicy);
    await policy.setCeiling('7', null);
    await policy.requestEmergency('7', '児童の安全確認', 24);
    await policy.approveEmergency('7');
    await policy.endEmergency('7');
    expect(await policy.setOrgPolicy('1', org)).toEqual(org);
    expect(await policy.setTerms('1', [{ category: 'welfare', kind: 'cue', term: '就労自立給付金' }]))
      .toEqual([{ category: 'welfare', kind: 'cue', term: '就労自立給付金' }]);
    expect(calls.map((c) => `${c.init.method} ${c.url} ${c.init.body ?? ''}`)).toEqual([
      'PUT /api/v1/rooms/7/policy {"ceiling":"III"}',
      'PUT /api/v1/rooms/7/policy {"ceiling":null}',
      'POST /api/v1/rooms/7/emergency {"reason":"児童の安全確認","hours":24}',
      'POST /api/v1/rooms/7/emergency/approve ',
      'DELETE /api/v1/rooms/7/emergency ',
      'PUT /api/v1/orgs/1/policy {"defaultCeiling":"II","emergencyMaxHours":72,"emergencySingleApprover":true}',
      'PUT /api/v1/orgs/1/policy/terms {"terms":[{"category":"welfare","kind":"cue","term":"就労自立給付金"}]}',
    ]);
  });

  it('reads the org policy from the org, with the defaults when it has none', async () => {
    const withPolicy = stub(() => json(200, { id: '1', name: '回覧市', policy: { defaultCeiling: 'III', emergencyMaxHours: 12, emergencySingleApprover: false } }));
    expect(await withPolicy.policy.orgPolicy('1')).toEqual({ defaultCeiling: 'III', emergencyMaxHours: 12, emergencySingleApprover: false });
    const without = stub(() => json(200, { id: '1', name: '回覧市' }));
    expect(await without.policy.orgPolicy('1')).toEqual({ defaultCeiling: 'II', emergencyMaxHours: 72, emergencySingleApprover: false });
  });

  it('passes the server error with its findings and field through', async () => {
    const { policy } = stub(() => json(400, { code: 'invalid_field', message: 'x', messageJa: 'x', retryable: false, requestId: 'q', field: 'terms[3].term' }));
    await expect(policy.setTerms('1', [])).rejects.toMatchObject({ code: 'invalid_field', body: { field: 'terms[3].term' } });
  });
});
