import { useEffect, useState } from 'preact/hooks';
import { useRoute } from '../hooks';
import { t } from '../i18n/i18n';
import { EMPTY_SEARCH, MAX_QUERY_CHARS, searchFromRoute, searchHash, type SearchForm } from '../search/query';

/** Where closing the results goes back to: the page the first search was started from. */
let returnTo = '#/';

/** Shows the results of a search (`#/search/…`), remembering the page to come back to. */
export function openSearch(form: SearchForm): void {
  if (!location.hash.startsWith('#/search')) returnTo = location.hash || '#/';
  location.hash = searchHash(form);
}

/** Closes the results and goes back to where the search was started. */
export function closeSearch(): void {
  location.hash = returnTo;
}

/**
 * The message search in the header (`search-input`): Enter shows the results (keeping the filters of the search
 * shown, if any), Esc clears the box and closes the results.
 */
export function SearchBox() {
  const [page, segment] = useRoute();
  const onResults = page === 'search';
  const shown = onResults ? searchFromRoute(segment).q : '';
  const [typed, setTyped] = useState(shown);

  useEffect(() => setTyped(shown), [shown]);

  function submit(e: Event) {
    e.preventDefault();
    const q = typed.trim();
    if (q === '') return;
    openSearch({ ...(onResults ? searchFromRoute(segment) : EMPTY_SEARCH), q });
  }

  function keyDown(e: KeyboardEvent) {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    setTyped('');
    (e.currentTarget as HTMLInputElement).blur();
    if (onResults) closeSearch();
  }

  return (
    <form class="header-search" role="search" aria-label={t('search.label')} onSubmit={submit}>
      <input type="search" data-testid="search-input" value={typed} maxLength={MAX_QUERY_CHARS} autoComplete="off"
        placeholder={t('search.placeholder')} aria-label={t('search.placeholder')}
        onInput={(e) => setTyped(e.currentTarget.value)} onKeyDown={keyDown} />
    </form>
  );
}
