import type { operations } from '../api/schema';
import { jstToIso } from '../audit';
import type { MessageKey } from '../i18n/i18n';

/** The query parameters of `GET /api/v1/search`, as the OpenAPI document defines them. */
export type SearchQuery = NonNullable<operations['searchMessages']['parameters']['query']>;
export type SearchSort = NonNullable<SearchQuery['sort']>;

/** Hits per page. */
export const SEARCH_PAGE = 20;
/** Longest query the server takes, in characters once trimmed. */
export const MAX_QUERY_CHARS = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A search as the screen holds it (and the address `#/search/…` keeps it): the words, and the filters as typed.
 * `from` and `to` are `YYYY-MM-DD` days in JST, both included; empty strings mean "any".
 */
export interface SearchForm {
  q: string;
  roomId: string;
  senderId: string;
  from: string;
  to: string;
  mentionsMe: boolean;
  sort: SearchSort;
}

export const EMPTY_SEARCH: SearchForm = { q: '', roomId: '', senderId: '', from: '', to: '', mentionsMe: false, sort: 'relevance' };

/**
 * The API's query for a search (and `cursor` for a next page), or the message key of what is wrong with it. The
 * days become instants: `from` the start of its JST day, `to` the start of the JST day after (the server takes
 * `sentAt < to`), sent in UTC.
 */
export function toSearchQuery(form: SearchForm, cursor?: string | null): { query: SearchQuery } | { error: MessageKey } {
  const q = form.q.trim();
  if (q === '') return { error: 'search.error.empty' };
  if ([...q].length > MAX_QUERY_CHARS) return { error: 'search.error.tooLong' };
  const from = dayStart(form.from);
  const toDay = dayStart(form.to);
  if (from === null || toDay === null) return { error: 'search.error.date' };
  const to = toDay === undefined ? undefined : new Date(Date.parse(toDay) + DAY_MS).toISOString();
  if (from !== undefined && to !== undefined && Date.parse(from) >= Date.parse(to)) return { error: 'search.error.range' };
  const query: SearchQuery = { q, sort: form.sort, limit: SEARCH_PAGE };
  if (form.roomId) query.roomId = form.roomId;
  if (form.senderId) query.senderId = form.senderId;
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  if (form.mentionsMe) query.mentions = 'me';
  if (cursor) query.cursor = cursor;
  return { query };
}

/** The start of a JST day (`2026-11-20` → `2026-11-19T15:00:00.000Z`); undefined when empty, null when malformed. */
function dayStart(day: string): string | undefined | null {
  if (day.trim() === '') return undefined;
  const iso = jstToIso(`${day.trim()}T00:00`);
  return iso ? new Date(iso).toISOString() : null;
}

/** The address of a search's results, `#/search/<form>`; only what differs from the defaults is written. */
export function searchHash(form: SearchForm): string {
  const p = new URLSearchParams();
  p.set('q', form.q.trim());
  if (form.roomId) p.set('room', form.roomId);
  if (form.senderId) p.set('sender', form.senderId);
  if (form.from) p.set('from', form.from);
  if (form.to) p.set('to', form.to);
  if (form.mentionsMe) p.set('mentions', 'me');
  if (form.sort !== 'relevance') p.set('sort', form.sort);
  // One path segment: the route splits on `/` and decodes each segment once.
  return `#/search/${encodeURIComponent(p.toString())}`;
}

/** The search in a `#/search/…` route's (decoded) segment; unknown or bad values fall back to the defaults. */
export function searchFromRoute(segment: string | undefined): SearchForm {
  const p = new URLSearchParams(segment ?? '');
  const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : '');
  return {
    q: p.get('q') ?? '',
    roomId: p.get('room') ?? '',
    senderId: p.get('sender') ?? '',
    from: day(p.get('from')),
    to: day(p.get('to')),
    mentionsMe: p.get('mentions') === 'me',
    sort: p.get('sort') === 'newest' ? 'newest' : 'relevance',
  };
}

/** The address that opens a room at one of its messages (scrolled to it, highlighted, focused). */
export function messageHash(roomId: string, seq: number): string {
  return `#/rooms/${encodeURIComponent(roomId)}/at/${seq}`;
}

/** The message seq of a `#/rooms/{id}/at/{seq}` route, or null. */
export function seqFromRoute(sub: string | undefined, value: string | undefined): number | null {
  if (sub !== 'at' || !value || !/^[1-9]\d{0,15}$/.test(value)) return null;
  return Number(value);
}
