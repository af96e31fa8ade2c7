import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Schemas } from '../../api/client';
import type { Chat } from '../../chat/chat';
import { withControlsShown } from '../../chat/invisible';
import { sortedRooms } from '../../chat/store';
import { closeSearch, openSearch } from '../../components/SearchBox';
import { ErrorMessage, Field } from '../../components/ui';
import { UiError } from '../../errors';
import { dateTime } from '../../format';
import { useAction, useLoad } from '../../hooks';
import { lang, t } from '../../i18n/i18n';
import { excerptAround, highlightParts } from '../../search/highlight';
import { EMPTY_SEARCH, messageHash, searchFromRoute, toSearchQuery, type SearchForm, type SearchSort } from '../../search/query';

type SearchHit = Schemas['SearchHit'];

/**
 * `#/search/<search>`: the hits of a message search (the words come from the header's box), with filters (room,
 * sender, JST days, mentions of the caller), the order (relevance or newest), and "more" while the server has a
 * `nextCursor`. A hit links to its room at that message. Esc closes.
 */
export function SearchView({ chat, route }: { chat: Chat; route: string | undefined }) {
  const search = searchFromRoute(route);
  const key = route ?? '';
  const [form, setForm] = useState<SearchForm>(search);
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const shown = useRef(key);
  const load = useAction();
  const directory = useLoad(() => api.call('get', '/api/v1/directory'), []);
  const rooms = sortedRooms(chat.state);
  shown.current = key;

  useEffect(() => {
    setForm(searchFromRoute(route));
    setHits(null);
    setCursor(null);
    setFormError(null);
    load.setError(null);
    if (search.q.trim() === '') return;
    const checked = toSearchQuery(search);
    if ('error' in checked) {
      setFormError(new UiError(checked.error));
      return;
    }
    void load.run(async () => {
      const page = await api.call('get', '/api/v1/search', { query: checked.query });
      if (shown.current !== key) return;
      setHits(page.hits);
      setCursor(page.nextCursor);
    });
  }, [key, generation]);

  function apply(e: Event) {
    e.preventDefault();
    const next = { ...form, q: search.q };
    const checked = toSearchQuery(next);
    if ('error' in checked) {
      setFormError(new UiError(checked.error));
      return;
    }
    go(next);
  }

  /** Shows another search; the same one again is searched again. */
  function go(next: SearchForm) {
    const before = location.hash;
    openSearch(next);
    if (location.hash === before) setGeneration((g) => g + 1);
  }

  function more() {
    const checked = toSearchQuery(search, cursor);
    if (!cursor || 'error' in checked) return;
    void load.run(async () => {
      const page = await api.call('get', '/api/v1/search', { query: checked.query });
      if (shown.current !== key) return;
      setHits((old) => [...(old ?? []), ...page.hits]);
      setCursor(page.nextCursor);
    });
  }

  function keyDown(e: KeyboardEvent) {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    closeSearch();
  }

  const set = (name: 'roomId' | 'senderId' | 'from' | 'to') => (e: Event) =>
    setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const sortButton = (sort: SearchSort, label: string) => (
    <button type="button" data-testid={`search-sort-${sort}`} aria-pressed={search.sort === sort} disabled={load.busy}
      onClick={() => search.sort !== sort && go({ ...search, sort })}>{label}</button>
  );

  return (
    <section class="panel search-view" data-testid="search-view" aria-labelledby="search-title" onKeyDown={keyDown}>
      <header class="panel-head">
        <a class="room-back" href="#/" aria-label={t('chat.backToList')}>‹</a>
        <h2 id="search-title">{search.q ? t('search.title', { q: search.q }) : t('search.titleEmpty')}</h2>
        <button type="button" class="button small search-close" data-testid="search-close" title={t('search.closeHint')}
          onClick={closeSearch}>{t('search.close')}</button>
      </header>
      <div class="panel-body stack">
        <form class="search-filters" data-testid="search-filters" onSubmit={apply}>
          <div class="filters">
            <Field label={t('search.room')}>
              <select data-testid="search-filter-room" value={form.roomId} onChange={set('roomId')}>
                <option value="">{t('search.anyRoom')}</option>
                {rooms.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
                {form.roomId && !rooms.some((r) => r.id === form.roomId) && <option value={form.roomId}>{form.roomId}</option>}
              </select>
            </Field>
            <Field label={t('search.sender')}>
              <select data-testid="search-filter-sender" value={form.senderId} onChange={set('senderId')}>
                <option value="">{t('search.anySender')}</option>
                {(directory.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.displayName}</option>)}
                {form.senderId && !directory.data?.some((p) => p.id === form.senderId) && <option value={form.senderId}>{form.senderId}</option>}
              </select>
            </Field>
            <Field label={t('search.from')}>
              <input type="date" data-testid="search-filter-from" value={form.from} onInput={set('from')} />
            </Field>
            <Field label={t('search.to')}>
              <input type="date" data-testid="search-filter-to" value={form.to} onInput={set('to')} />
            </Field>
          </div>
          <div class="search-filter-row">
            <label class="check">
              <input type="checkbox" data-testid="search-filter-mentions" checked={form.mentionsMe}
                onChange={(e) => setForm({ ...form, mentionsMe: e.currentTarget.checked })} />
              {t('search.mentionsMe')}
            </label>
            <span class="muted small">{t('search.timeZone')}</span>
            <div class="form-actions">
              <button type="submit" class="button primary small" data-testid="search-apply" disabled={!search.q}>{t('search.apply')}</button>
              <button type="button" class="button small" data-testid="search-clear" disabled={!search.q}
                onClick={() => go({ ...EMPTY_SEARCH, q: search.q, sort: search.sort })}>{t('search.clear')}</button>
            </div>
          </div>
        </form>

        <div class="search-bar">
          <div class="segmented" role="group" aria-label={t('search.sort')}>
            {sortButton('relevance', t('search.sortRelevance'))}
            {sortButton('newest', t('search.sortNewest'))}
          </div>
          {hits && hits.length > 0 && (
            <span class="muted small" data-testid="search-count" role="status">
              {t(cursor ? 'search.countMore' : 'search.count', { count: hits.length })}
            </span>
          )}
        </div>

        <ErrorMessage error={formError ?? load.error} />
        {!search.q && <p class="muted" data-testid="search-prompt">{t('search.prompt')}</p>}
        {hits === null && load.busy && <p class="muted" role="status">{t('common.loading')}</p>}
        {hits?.length === 0 && <p class="muted search-empty" data-testid="search-empty" role="status">{t('search.empty')}</p>}
        {!!hits?.length && (
          <ol class="search-hits" data-testid="search-hits">
            {hits.map((hit) => <Hit key={`${hit.roomId}:${hit.seq}`} hit={hit} />)}
          </ol>
        )}
        {hits && cursor && (
          <button type="button" class="button search-more" data-testid="search-more" disabled={load.busy} onClick={more}>
            {load.busy ? t('common.loading') : t('search.more')}
          </button>
        )}
      </div>
    </section>
  );
}

/** One hit: room, sender, time, and the text with the matched words marked (text nodes only, never HTML). */
function Hit({ hit }: { hit: SearchHit }) {
  const shown = excerptAround(hit.text, hit.highlights);
  return (
    <li class="search-hit">
      <a class="search-hit-link" href={messageHash(hit.roomId, hit.seq)} data-testid="search-hit" data-room-id={hit.roomId}
        data-seq={hit.seq} data-message-id={hit.messageId}>
        <span class="search-hit-head">
          <span class="search-hit-room" data-testid="search-hit-room">{hit.roomName}</span>
          <span class="search-hit-sender" data-testid="search-hit-sender">{hit.senderName}</span>
          <time class="search-hit-time" dateTime={hit.sentAt}>{dateTime(hit.sentAt, lang())}</time>
          {hit.editedAt && <span class="msg-edited">{t('chat.edited')}</span>}
        </span>
        <span class="search-hit-text" data-testid="search-hit-text">
          {highlightParts(shown.text, shown.highlights).map((part, i) => (part.mark
            ? <mark key={i}>{withControlsShown(part.text)}</mark>
            : <Fragment key={i}>{withControlsShown(part.text)}</Fragment>))}
        </span>
      </a>
    </li>
  );
}
