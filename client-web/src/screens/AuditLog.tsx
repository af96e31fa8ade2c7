import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import {
  actionLabel, actorText, AUDIT_ACTIONS, AUDIT_GROUPS, detailText, EMPTY_FORM, fallbackFileName, groupLabel,
  jstDateTime, saveBlob, targetText, toFilter, type AuditFilter, type AuditForm,
} from '../audit';
import { UiError } from '../errors';
import { ErrorMessage, Field, SuccessMessage } from '../components/ui';
import { useAction } from '../hooks';
import { lang, t } from '../i18n/i18n';

type AuditEntry = Schemas['AuditEntry'];
const PAGE_SIZE = 100;

/**
 * `#/audit` (監査ログ): owners and admins search the organization's audit log by actor, action and time (JST),
 * page back with "more", and download what matches as CSV. The server records each search (its first page) and
 * each download as audit events (HTTP-API.md "Audit log"); the filters go to the server only on "search".
 */
export function AuditLog({ orgId }: { orgId: string }) {
  const [form, setForm] = useState<AuditForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [search, setSearch] = useState(0);
  const [events, setEvents] = useState<AuditEntry[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [exported, setExported] = useState<string | null>(null);
  const load = useAction();
  const download = useAction();

  useEffect(() => {
    let live = true;
    setEvents(null);
    void load.run(async () => {
      const page = await api.call('get', '/api/v1/orgs/{orgId}/audit', { params: { orgId }, query: { ...filter, limit: PAGE_SIZE } });
      if (!live) return;
      setEvents(page.events);
      setNextBefore(page.hasMore ? page.nextBefore : null);
    });
    return () => {
      live = false;
    };
  }, [orgId, filter, search]);

  function submit(e: Event) {
    e.preventDefault();
    setExported(null);
    const checked = toFilter(form);
    if ('error' in checked) {
      setFormError(new UiError(checked.error));
      return;
    }
    setFormError(null);
    setFilter(checked.filter);
    setSearch((n) => n + 1);
  }

  function clear() {
    setForm(EMPTY_FORM);
    setFormError(null);
    setExported(null);
    setFilter({});
    setSearch((n) => n + 1);
  }

  function more() {
    if (nextBefore === null) return;
    const before = nextBefore;
    void load.run(async () => {
      const page = await api.call('get', '/api/v1/orgs/{orgId}/audit', {
        params: { orgId }, query: { ...filter, before, limit: PAGE_SIZE },
      });
      setEvents((old) => [...(old ?? []), ...page.events]);
      setNextBefore(page.hasMore ? page.nextBefore : null);
    });
  }

  function exportCsv() {
    setExported(null);
    // The export is of the search shown, not of whatever is typed in the form but not yet searched for.
    void download.run(async () => {
      const file = await api.download('/api/v1/orgs/{orgId}/audit.csv', { params: { orgId }, query: { ...filter } });
      saveBlob(file.blob, file.fileName ?? fallbackFileName(orgId));
      setExported(t('audit.exported', { rows: file.headers.get('X-Kairan-Audit-Rows') ?? '?' }));
    });
  }

  const set = (key: keyof AuditForm) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });

  return (
    <section class="page">
      <div class="page-head">
        <h1>{t('audit.title')}</h1>
      </div>
      <p class="muted">{t('audit.intro')}</p>

      <form class="card" data-testid="audit-filters" onSubmit={submit}>
        <div class="filters">
          <Field label={t('audit.actor')}>
            <input type="search" data-testid="audit-filter-actor" value={form.actor} maxLength={64} autoComplete="off"
              placeholder={t('audit.actorPlaceholder')} onInput={set('actor')} />
          </Field>
          <Field label={t('audit.action')}>
            <input type="search" data-testid="audit-filter-action" value={form.action} maxLength={64} list="audit-actions"
              autoComplete="off" placeholder={t('audit.actionPlaceholder')} onInput={set('action')} />
          </Field>
          <datalist id="audit-actions">
            {AUDIT_GROUPS.map((g) => <option key={g} value={g}>{t('audit.allActions', { group: groupLabel(g) ?? g })}</option>)}
            {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{actionLabel(a)}</option>)}
          </datalist>
          <Field label={t('audit.from')}>
            <input type="datetime-local" step={1} data-testid="audit-filter-from" value={form.from} onInput={set('from')} />
          </Field>
          <Field label={t('audit.to')}>
            <input type="datetime-local" step={1} data-testid="audit-filter-to" value={form.to} onInput={set('to')} />
          </Field>
        </div>
        <p class="muted small">{t('audit.timeZone')}</p>
        <div class="form-actions">
          <button type="submit" class="button primary" data-testid="audit-search" disabled={load.busy}>{t('audit.search')}</button>
          <button type="button" class="button" data-testid="audit-clear" onClick={clear}>{t('audit.clear')}</button>
          <button type="button" class="button" data-testid="audit-csv" disabled={download.busy} title={t('audit.csvHint')}
            onClick={exportCsv}>{t('audit.csv')}</button>
        </div>
      </form>

      <ErrorMessage error={formError ?? load.error ?? download.error} />
      <SuccessMessage text={exported} />

      <div class="card">
        {events === null && !load.error && <p class="muted">{t('common.loading')}</p>}
        {events?.length === 0 && <p class="muted" data-testid="audit-empty">{t('audit.empty')}</p>}
        {!!events?.length && (
          <>
            <p class="muted small" data-testid="audit-count" role="status">{t('audit.count', { count: events.length })}</p>
            <div class="table-wrap">
              <table class="audit-table" data-testid="audit-list">
                <thead>
                  <tr><th>{t('audit.time')}</th><th>{t('audit.actor')}</th><th>{t('audit.action')}</th>
                    <th>{t('audit.target')}</th><th>{t('audit.ip')}</th><th>{t('audit.detail')}</th></tr>
                </thead>
                <tbody>
                  {events.map((e) => <Row key={e.id} event={e} />)}
                </tbody>
              </table>
            </div>
            {nextBefore !== null
              ? <button type="button" class="button" data-testid="audit-more" disabled={load.busy} onClick={more}>{t('audit.more')}</button>
              : <p class="muted small" data-testid="audit-end">{t('audit.end')}</p>}
          </>
        )}
      </div>
    </section>
  );
}

function Row({ event }: { event: AuditEntry }) {
  const actor = actorText(event);
  const label = actionLabel(event.action);
  const detail = detailText(event.detail);
  return (
    <tr data-testid="audit-row" data-action={event.action} data-seq={event.chainSeq}>
      <td class="nowrap" data-testid="audit-time"><time dateTime={event.occurredAt}>{jstDateTime(event.occurredAt, lang())}</time></td>
      <td data-testid="audit-actor">
        {actor.name && <span class="block">{actor.name}</span>}
        <span class={actor.name ? 'muted small' : ''}>{actor.login ?? t('audit.unknownActor')}</span>
      </td>
      <td data-testid="audit-action">
        {label && <span class="block" data-testid="audit-action-label">{label}</span>}
        <code class={label ? 'muted small' : ''}>{event.action}</code>
      </td>
      <td data-testid="audit-target">{targetText(event) ?? '—'}</td>
      <td class="nowrap">{event.ip ?? '—'}</td>
      <td class="audit-detail" data-testid="audit-detail">{detail ? <code>{detail}</code> : '—'}</td>
    </tr>
  );
}
