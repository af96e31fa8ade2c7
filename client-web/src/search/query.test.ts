import { describe, expect, it } from 'vitest';
import { url } from '../api/client';
import { EMPTY_SEARCH, messageHash, searchFromRoute, searchHash, seqFromRoute, toSearchQuery, type SearchForm } from './query';

const form = (extra: Partial<SearchForm>): SearchForm => ({ ...EMPTY_SEARCH, ...extra });

/** The route segment as `useRoute` sees it: the hash split at `/`, each segment decoded once. */
const routeOf = (hash: string) => hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);

describe('toSearchQuery', () => {
  it('sends the trimmed words with the order and page size, and nothing unset', () => {
    expect(toSearchQuery(form({ q: '  防災  ' }))).toEqual({ query: { q: '防災', sort: 'relevance', limit: 20 } });
    expect(toSearchQuery(form({ q: '\u3000防災\u3000訓練\u3000' }))).toEqual({ query: { q: '防災\u3000訓練', sort: 'relevance', limit: 20 } });
  });

  it('sends every filter, the JST days as UTC instants with the end day included, and the cursor', () => {
    const checked = toSearchQuery(form({
      q: '防災', roomId: '7', senderId: '12', from: '2026-11-20', to: '2026-11-26', mentionsMe: true, sort: 'newest',
    }), 'opaque-cursor');
    expect(checked).toEqual({
      query: {
        q: '防災', sort: 'newest', limit: 20, roomId: '7', senderId: '12', from: '2026-11-19T15:00:00.000Z',
        to: '2026-11-26T15:00:00.000Z', mentions: 'me', cursor: 'opaque-cursor',
      },
    });
  });

  it('builds the query string the API client sends', () => {
    const checked = toSearchQuery(form({ q: '"集合 場所" 防災', from: '2026-11-20', to: '2026-11-20', mentionsMe: true }), null);
    if (!('query' in checked)) throw new Error('expected a query');
    const built = new URL(url('/api/v1/search', { query: checked.query }), 'http://x');
    expect(built.pathname).toBe('/api/v1/search');
    expect(Object.fromEntries(built.searchParams)).toEqual({
      q: '"集合 場所" 防災', sort: 'relevance', limit: '20', from: '2026-11-19T15:00:00.000Z', to: '2026-11-20T15:00:00.000Z', mentions: 'me',
    });
    expect(url('/api/v1/search', { query: { q: 'a&b=c#d', limit: 20 } })).toBe('/api/v1/search?q=a%26b%3Dc%23d&limit=20');
  });

  it('refuses empty words, more than 200 characters, bad days and a range that ends before it starts', () => {
    expect(toSearchQuery(form({ q: ' \u3000 ' }))).toEqual({ error: 'search.error.empty' });
    expect(toSearchQuery(form({ q: 'あ'.repeat(201) }))).toEqual({ error: 'search.error.tooLong' });
    // Characters, not UTF-16 units: 200 emoji are 400 units and still fine.
    expect(toSearchQuery(form({ q: '👍'.repeat(200) }))).toHaveProperty('query');
    expect(toSearchQuery(form({ q: '防災', from: '2026-02-30' }))).toEqual({ error: 'search.error.date' });
    expect(toSearchQuery(form({ q: '防災', to: '26/11/2026' }))).toEqual({ error: 'search.error.date' });
    expect(toSearchQuery(form({ q: '防災', from: '2026-11-21', to: '2026-11-20' }))).toEqual({ error: 'search.error.range' });
    expect(toSearchQuery(form({ q: '防災', from: '2026-11-20', to: '2026-11-20' }))).toHaveProperty('query');
  });
});

describe('the address of a search', () => {
  it('keeps only what differs from the defaults', () => {
    expect(searchHash(form({ q: '防災' }))).toBe(`#/search/${encodeURIComponent('q=%E9%98%B2%E7%81%BD')}`);
  });

  it('comes back as the same search through the route, whatever the words contain', () => {
    const search = form({
      q: 'a/b & c=d #e %20 "防災 訓練"', roomId: '7', senderId: '12', from: '2026-11-01', to: '2026-11-30', mentionsMe: true, sort: 'newest',
    });
    const [page, segment, extra] = routeOf(searchHash(search));
    expect(page).toBe('search');
    expect(extra).toBeUndefined();
    expect(searchFromRoute(segment)).toEqual({ ...search, q: search.q.trim() });
  });

  it('falls back to the defaults for missing or bad values', () => {
    expect(searchFromRoute(undefined)).toEqual(EMPTY_SEARCH);
    expect(searchFromRoute('q=x&sort=oldest&from=yesterday&mentions=all')).toEqual(form({ q: 'x' }));
  });
});

describe('the address of a message', () => {
  it('opens the room at a seq', () => {
    const hash = messageHash('7', 42);
    expect(hash).toBe('#/rooms/7/at/42');
    const [page, roomId, sub, value] = routeOf(hash);
    expect([page, roomId]).toEqual(['rooms', '7']);
    expect(seqFromRoute(sub, value)).toBe(42);
  });

  it('is no jump for other routes or bad seqs', () => {
    expect(seqFromRoute('settings', undefined)).toBeNull();
    expect(seqFromRoute(undefined, undefined)).toBeNull();
    for (const bad of ['0', '-1', '1.5', 'x', '', '01']) expect(seqFromRoute('at', bad), bad).toBeNull();
  });
});
