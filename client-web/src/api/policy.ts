/**
 * Importance classes, room ceilings, blocking and emergency mode (`../protocol/POLICY.md`): the wire types,
 * readers that check what the server sends (a malformed part is dropped, never trusted), and the calls.
 *
 * The readers are lenient where POLICY.md asks for it: an unknown detector is shown by its `label`/`labelJa`,
 * and unknown fields are ignored.
 */
import { ApiError, isApiError, type ApiClient, type Schemas } from './client';
import { isGatewayError } from '../gateway/connection';

/** `I` is the most sensitive class, `IV` the least. */
export type ImportanceClass = Schemas['ImportanceClass'];
export const CLASSES: readonly ImportanceClass[] = ['I', 'II', 'III', 'IV'];
export type Verdict = Finding['verdict'];

/** What the classifier found in a text; `start`/`end` are UTF-16 indices into the text sent, `end` exclusive. */
export type Finding = Schemas['PolicyFinding'];
/** The answer of `POST /rooms/{roomId}/messages/check`. */
export type CheckResult = Schemas['PolicyCheck'];
export type Emergency = Schemas['Emergency'];
/** `RoomDetail.policy` and the `room.policy` frame's `policy`. */
export type RoomPolicy = Schemas['RoomPolicy'];
/** `Org.policy`, every field filled in. */
export type OrgPolicy = Required<Schemas['OrgPolicy']>;
/** One of an org's own dictionary words. */
export type Term = Schemas['PolicyTerm'];
export type TermCategory = Term['category'];
export type TermKind = Term['kind'];

export const TERM_CATEGORIES: readonly TermCategory[] = [
  'welfare', 'tax', 'arrears', 'abuse', 'resident_registry', 'case_record', 'internal', 'general',
];
export const TERM_KINDS: readonly TermKind[] = ['cue', 'guard'];

/** The answer of `GET /orgs/{orgId}/policy/terms`, each category's built-in words as cues and guards. */
export interface TermsView {
  terms: Term[];
  categories: string[];
  builtIn: Record<string, { cue: string[]; guard: string[] }>;
}

/** Most an org may add, and the length of each word (POLICY.md). */
export const MAX_TERMS = 2000;
export const MAX_TERM_CHARS = 40;
export const MAX_EMERGENCY_REASON = 500;
export const DEFAULT_EMERGENCY_HOURS = 24;
export const DEFAULT_EMERGENCY_MAX_HOURS = 72;

/** The two refusals of a send or an edit that carry findings. */
export type PolicyCode = 'content_blocked' | 'confirmation_required';

export interface PolicyRefusal {
  code: PolicyCode;
  findings: Finding[];
}

// ---- readers ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isClass(v: unknown): v is ImportanceClass {
  return v === 'I' || v === 'II' || v === 'III' || v === 'IV';
}

function isVerdict(v: unknown): v is Verdict {
  return v === 'block' || v === 'warn' || v === 'allow';
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

/** A finding as the server sends it, or null when it is not one. Labels fall back to the detector id. */
export function parseFinding(v: unknown): Finding | null {
  if (!isObject(v)) return null;
  const detector = str(v.detector);
  const start = int(v.start);
  const end = int(v.end);
  if (!detector || !isClass(v.class) || !isVerdict(v.verdict) || start === null || end === null || start < 0 || end < start) return null;
  const label = str(v.label) || detector;
  return {
    detector, class: v.class, verdict: v.verdict, start, end, excerpt: str(v.excerpt) ?? '', label, labelJa: str(v.labelJa) || label,
  };
}

/** The findings that can be read, in the server's order; anything else gives an empty list. */
export function parseFindings(v: unknown): Finding[] {
  if (!Array.isArray(v)) return [];
  return v.map(parseFinding).filter((f): f is Finding => f !== null);
}

export function parseCheckResult(v: unknown): CheckResult | null {
  if (!isObject(v) || !isVerdict(v.verdict) || !isClass(v.ceiling)) return null;
  return {
    verdict: v.verdict,
    class: isClass(v.class) ? v.class : 'IV',
    ceiling: v.ceiling,
    emergency: v.emergency === true,
    findings: parseFindings(v.findings),
  };
}

export function parseEmergency(v: unknown): Emergency | null {
  if (!isObject(v) || (v.state !== 'pending' && v.state !== 'active')) return null;
  const hours = int(v.hours);
  return {
    state: v.state,
    reason: str(v.reason) ?? '',
    hours: hours ?? 0,
    requestedBy: str(v.requestedBy) ?? '',
    requestedByName: str(v.requestedByName) ?? '',
    requestedAt: str(v.requestedAt) ?? '',
    approvedBy: str(v.approvedBy),
    approvedByName: str(v.approvedByName),
    approvedAt: str(v.approvedAt),
    endsAt: str(v.endsAt),
  };
}

/** A room's policy, or null when `v` is not one (absent, or from a server without POLICY.md). */
export function parseRoomPolicy(v: unknown): RoomPolicy | null {
  if (!isObject(v) || !isClass(v.ceiling)) return null;
  const ceiling = v.ceiling;
  const emergency = parseEmergency(v.emergency);
  const effective = isClass(v.effectiveCeiling) ? v.effectiveCeiling : emergency?.state === 'active' ? 'I' : ceiling;
  return {
    ceiling,
    ownCeiling: isClass(v.ownCeiling) ? v.ownCeiling : null,
    orgDefault: isClass(v.orgDefault) ? v.orgDefault : ceiling,
    effectiveCeiling: effective,
    emergency,
  };
}

export function parseOrgPolicy(v: unknown): OrgPolicy | null {
  if (!isObject(v) || !isClass(v.defaultCeiling)) return null;
  const hours = int(v.emergencyMaxHours);
  return {
    defaultCeiling: v.defaultCeiling,
    emergencyMaxHours: hours !== null && hours > 0 ? hours : DEFAULT_EMERGENCY_MAX_HOURS,
    emergencySingleApprover: v.emergencySingleApprover === true,
  };
}

function parseTerm(v: unknown): Term | null {
  if (!isObject(v)) return null;
  const category = str(v.category);
  const term = str(v.term);
  if (!category || term === null || (v.kind !== 'cue' && v.kind !== 'guard')) return null;
  return { category: category as TermCategory, kind: v.kind, term };
}

const words = (v: unknown): string[] => (Array.isArray(v) ? v.filter((w): w is string => typeof w === 'string') : []);

export function parseTermsView(v: unknown): TermsView | null {
  if (!isObject(v) || !Array.isArray(v.terms)) return null;
  const terms = v.terms.map(parseTerm).filter((t): t is Term => t !== null);
  const builtIn: TermsView['builtIn'] = {};
  if (isObject(v.builtIn)) {
    for (const [category, lists] of Object.entries(v.builtIn)) {
      if (isObject(lists)) builtIn[category] = { cue: words(lists.cue), guard: words(lists.guard) };
    }
  }
  const listed = words(v.categories);
  const categories = listed.length > 0 ? listed : [...new Set([...TERM_CATEGORIES, ...Object.keys(builtIn)])];
  return { terms, categories, builtIn };
}

/**
 * Whether an error is a send or edit refused for its content (`content_blocked`, `confirmation_required`), from
 * the gateway's `error` frame or an HTTP error body; with the findings it carries.
 */
export function policyRefusal(e: unknown): PolicyRefusal | null {
  let code: string | null = null;
  let findings: unknown;
  if (isGatewayError(e) && e.reply) {
    code = e.reply.code;
    findings = (e.reply as unknown as Obj).findings;
  } else if (isApiError(e) && e.body) {
    code = e.body.code;
    findings = (e.body as unknown as Obj).findings;
  }
  if (code !== 'content_blocked' && code !== 'confirmation_required') return null;
  return { code, findings: parseFindings(findings) };
}

// ---- what classes mean -----------------------------------------------------------------------------------

/** 1 for `I` (most sensitive) … 4 for `IV`. */
export function classRank(c: ImportanceClass): number {
  return CLASSES.indexOf(c) + 1;
}

/** The most sensitive class among findings (`IV` when there are none). */
export function worstClass(findings: Finding[]): ImportanceClass {
  return findings.reduce<ImportanceClass>((worst, f) => (classRank(f.class) < classRank(worst) ? f.class : worst), 'IV');
}

/**
 * The ceilings a user may give a room: the org default or anything stricter (`III`, `IV`); an org owner may
 * also go less strict, up to `I`.
 */
export function allowedCeilings(orgDefault: ImportanceClass, orgOwner: boolean): ImportanceClass[] {
  return orgOwner ? [...CLASSES] : CLASSES.filter((c) => classRank(c) >= classRank(orgDefault));
}

/** Whether the room is in an active emergency now (the server also ends it by itself at `endsAt`). */
export function emergencyActive(policy: RoomPolicy | null | undefined, nowMs = Date.now()): boolean {
  const e = policy?.emergency;
  if (!e || e.state !== 'active') return false;
  return e.endsAt === null || !(Date.parse(e.endsAt) <= nowMs);
}

export function emergencyPending(policy: RoomPolicy | null | undefined): boolean {
  return policy?.emergency?.state === 'pending';
}

/** A finding as one line: `マイナンバー ****-****-9018` (or `My Number ****-****-9018`). */
export function findingLine(f: Finding, lang: 'ja' | 'en'): string {
  const label = lang === 'ja' ? f.labelJa : f.label;
  return f.excerpt ? `${label} ${f.excerpt}` : label;
}

/** The findings that concern the sender (those that block or warn), each span once, in text order. */
export function reportable(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings
    .filter((f) => f.verdict !== 'allow')
    .filter((f) => {
      const key = `${f.detector}:${f.start}:${f.end}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The text cut at the findings' spans, for a highlight: plain runs and marked runs, in order, never overlapping. */
export function markSpans(text: string, findings: Finding[]): { text: string; mark: Finding | null }[] {
  const spans = reportable(findings).filter((f) => f.end <= text.length && f.end > f.start);
  const parts: { text: string; mark: Finding | null }[] = [];
  let at = 0;
  for (const f of spans) {
    const start = Math.max(f.start, at);
    if (start >= f.end) continue;
    if (start > at) parts.push({ text: text.slice(at, start), mark: null });
    parts.push({ text: text.slice(start, f.end), mark: f });
    at = f.end;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), mark: null });
  return parts;
}

/**
 * A window of the text around a finding for a readable list: up to `around` characters either side, with
 * `…` where the text goes on.
 */
export function context(text: string, f: Finding, around = 12): { before: string; marked: string; after: string } {
  let from = Math.max(0, f.start - around);
  let to = Math.min(text.length, f.end + around);
  // Never cut a surrogate pair in half.
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from -= 1;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to += 1;
  return {
    before: (from > 0 ? '…' : '') + text.slice(from, f.start),
    marked: text.slice(f.start, f.end),
    after: text.slice(f.end, to) + (to < text.length ? '…' : ''),
  };
}

/** The terms whose word is empty or longer than 40 characters once trimmed (characters, not UTF-16 units). */
export function invalidTerms(terms: Term[]): number[] {
  return terms.flatMap((term, i) => {
    const n = [...term.term.trim()].length;
    return n < 1 || n > MAX_TERM_CHARS ? [i] : [];
  });
}

/** The term a server error's `field` names (`terms[3].term`, `terms.3`), if any. */
export function termIndexOfField(field: string | null | undefined): number | null {
  const m = field ? /^terms(?:\[|\.)(\d+)/.exec(field) : null;
  return m ? Number(m[1]) : null;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

// ---- the calls ----------------------------------------------------------------------------------------

function bad(): ApiError {
  return new ApiError(200, 'bad_response', null, null);
}

function read<T>(value: T | null): T {
  if (value === null) throw bad();
  return value;
}

/**
 * The policy endpoints (`HTTP-API.md`, "Importance classes"). Answers go through the readers above, so that a
 * part this client cannot read is dropped rather than shown wrong.
 */
export class PolicyApi {
  constructor(private readonly api: ApiClient) {}

  /** Classifies a draft; stores, logs and audits nothing. `signal` cancels a stale check. */
  async check(roomId: string, text: string, signal?: AbortSignal): Promise<CheckResult> {
    return read(parseCheckResult(await this.api.call('post', '/api/v1/rooms/{roomId}/messages/check', {
      params: { roomId }, body: { text }, signal,
    })));
  }

  /** Sets the room's ceiling (`null`: follow the org default); answers the room's policy now. */
  async setCeiling(roomId: string, ceiling: ImportanceClass | null): Promise<RoomPolicy> {
    return read(parseRoomPolicy(await this.api.call('put', '/api/v1/rooms/{roomId}/policy', { params: { roomId }, body: { ceiling } })));
  }

  async requestEmergency(roomId: string, reason: string, hours: number): Promise<RoomPolicy> {
    return read(parseRoomPolicy(await this.api.call('post', '/api/v1/rooms/{roomId}/emergency', {
      params: { roomId }, body: { reason, hours },
    })));
  }

  async approveEmergency(roomId: string): Promise<RoomPolicy> {
    return read(parseRoomPolicy(await this.api.call('post', '/api/v1/rooms/{roomId}/emergency/approve', { params: { roomId } })));
  }

  /** Ends the emergency early, or withdraws a pending request. */
  async endEmergency(roomId: string): Promise<RoomPolicy> {
    return read(parseRoomPolicy(await this.api.call('delete', '/api/v1/rooms/{roomId}/emergency', { params: { roomId } })));
  }

  /** The org's policy, from `GET /orgs/{orgId}` (any user of the org); the defaults for what it leaves out. */
  async orgPolicy(orgId: string): Promise<OrgPolicy> {
    const org = await this.api.call('get', '/api/v1/orgs/{orgId}', { params: { orgId } });
    return parseOrgPolicy(org.policy) ?? defaultOrgPolicy();
  }

  /** Replaces the org's policy (owners); answers it as stored. */
  async setOrgPolicy(orgId: string, policy: OrgPolicy): Promise<OrgPolicy> {
    const org = await this.api.call('put', '/api/v1/orgs/{orgId}/policy', { params: { orgId }, body: policy });
    return parseOrgPolicy(org.policy) ?? policy;
  }

  async terms(orgId: string): Promise<TermsView> {
    return read(parseTermsView(await this.api.call('get', '/api/v1/orgs/{orgId}/policy/terms', { params: { orgId } })));
  }

  /** Replaces the org's own terms; answers them as stored (the server drops duplicates). */
  async setTerms(orgId: string, terms: Term[]): Promise<Term[]> {
    const answer = await this.api.call('put', '/api/v1/orgs/{orgId}/policy/terms', { params: { orgId }, body: { terms } });
    return read(parseTermsView(answer)).terms;
  }
}

export function defaultOrgPolicy(): OrgPolicy {
  return { defaultCeiling: 'II', emergencyMaxHours: DEFAULT_EMERGENCY_MAX_HOURS, emergencySingleApprover: false };
}
