import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { jstDateTime, saveBlob } from '../audit';
import { ErrorMessage, Field, SuccessMessage } from '../components/ui';
import { UiError } from '../errors';
import {
  anyPending, defaultExportForm, EXPORT_SCOPES, fallbackExportName, formatBytes, isPending, POLL_MS, rangeText, shortHash,
  stateKey, toExportRequest, type ExportForm, type ExportJob, type ExportScope,
} from '../exports';
import { useAction, useLoad } from '../hooks';
import { lang, t } from '../i18n/i18n';
import { targetText } from '../retention';
import { isOwner } from '../roles';

type Me = Schemas['Me'];
type RoomSummary = Schemas['RoomSummary'];
type DirectoryEntry = Schemas['DirectoryEntry'];

/**
 * `#/exports` (監査エクスポート): an auditor asks for a signed archive of a room, a staff member's talks or the
 * whole organization over JST days, follows it while the server builds it (the list is read every 2 s while one
 * is queued or running) and downloads the finished zip through the DPoP-signed client (HTTP-API.md "Exports").
 * Auditors cannot list the organization's rooms (owners only): they pick from the rooms they are in, or type a
 * room ID the owner gave them.
 */
export function Exports({ orgId, me }: { orgId: string; me: Me }) {
  const [form, setForm] = useState<ExportForm>(() => defaultExportForm());
  const [formError, setFormError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const jobs = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/exports', { params: { orgId } }), [orgId]);
  const rooms = useLoad<RoomSummary[]>(() => (isOwner(me)
    ? api.call('get', '/api/v1/orgs/{orgId}/rooms', { params: { orgId } })
    : api.call('get', '/api/v1/rooms')).catch(() => []), [orgId]);
  const people = useLoad<DirectoryEntry[]>(() => api.call('get', '/api/v1/directory').catch(() => []), [orgId]);
  const submit = useAction();
  const download = useAction();
  const [userQuery, setUserQuery] = useState('');

  // While the server works on one, read the list again every POLL_MS; stop when none is left.
  const pending = anyPending(jobs.data);
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(jobs.reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [jobs.data, jobs.error, pending]);

  const names = useMemo(() => ({
    rooms: new Map((rooms.data ?? []).map((r) => [r.id, r.name])),
    users: new Map((people.data ?? []).map((p) => [p.id, p.displayName])),
  }), [rooms.data, people.data]);

  const matches = useMemo(() => {
    const q = userQuery.trim().toLowerCase();
    const all = people.data ?? [];
    return (q ? all.filter((p) => p.displayName.toLowerCase().includes(q) || (p.departmentName ?? '').toLowerCase().includes(q)
      || p.id === q) : all).slice(0, 200);
  }, [people.data, userQuery]);

  function request(e: Event) {
    e.preventDefault();
    setNotice(null);
    const checked = toExportRequest(form);
    if ('error' in checked) {
      setFormError(new UiError(checked.error));
      return;
    }
    setFormError(null);
    void submit.run(async () => {
      await api.call('post', '/api/v1/orgs/{orgId}/exports', { params: { orgId }, body: checked.request });
      setNotice(t('exports.requested'));
      jobs.reload();
    });
  }

  function save(job: ExportJob) {
    setNotice(null);
    void download.run(async () => {
      const file = await api.download('/api/v1/orgs/{orgId}/exports/{exportId}/download', { params: { orgId, exportId: job.id } });
      const name = file.fileName ?? fallbackExportName(job.id);
      saveBlob(file.blob, name);
      setNotice(t('exports.downloaded', { name }));
    });
  }

  const set = (key: keyof ExportForm) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  const setScope = (scope: ExportScope) => setForm({ ...form, scope, targetId: '' });

  return (
    <section class="page">
      <div class="page-head">
        <h1>{t('exports.title')}</h1>
      </div>
      <p class="muted">{t('exports.intro')}</p>

      <form class="card stack" data-testid="export-form" onSubmit={request}>
        <h2>{t('exports.new')}</h2>
        <fieldset class="checks">
          <legend>{t('exports.scope')}</legend>
          {EXPORT_SCOPES.map((s) => (
            <label key={s} class="check">
              <input type="radio" name="export-scope" value={s} data-testid={`export-scope-${s}`} checked={form.scope === s}
                onChange={() => setScope(s)} />
              {t(`exports.scope.${s}`)}
            </label>
          ))}
        </fieldset>

        {form.scope === 'room' && (
          <Field label={t('exports.room')} hint={t('exports.roomHint')}>
            <input type="text" data-testid="export-target-room" value={form.targetId} list="export-rooms" inputMode="numeric"
              autoComplete="off" placeholder={t('exports.roomPlaceholder')} onInput={set('targetId')} />
            <datalist id="export-rooms">
              {(rooms.data ?? []).map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
            </datalist>
          </Field>
        )}
        {form.scope === 'room' && names.rooms.get(form.targetId.trim()) && (
          <p class="field-hint" data-testid="export-target-name">{names.rooms.get(form.targetId.trim())}</p>
        )}

        {form.scope === 'user' && (
          <>
            <Field label={t('exports.userSearch')}>
              <input type="search" data-testid="export-user-search" value={userQuery} maxLength={100} autoComplete="off"
                placeholder={t('exports.userSearchPlaceholder')} onInput={(e) => setUserQuery(e.currentTarget.value)} />
            </Field>
            <Field label={t('exports.user')} hint={t('exports.userHint')}>
              <select data-testid="export-target-user" value={form.targetId} onChange={set('targetId')}>
                <option value="">{t('exports.choose')}</option>
                {matches.map((p) => (
                  <option key={p.id} value={p.id}>{p.displayName}{p.departmentName ? `（${p.departmentName}）` : ''}</option>
                ))}
              </select>
            </Field>
          </>
        )}
        {form.scope === 'org' && <p class="field-hint" data-testid="export-org-hint">{t('exports.orgHint')}</p>}

        <div class="filters">
          <Field label={t('exports.from')}>
            <input type="date" data-testid="export-from" value={form.from} required onInput={set('from')} />
          </Field>
          <Field label={t('exports.to')}>
            <input type="date" data-testid="export-to" value={form.to} required onInput={set('to')} />
          </Field>
        </div>
        <p class="muted small">{t('exports.timeZone')}</p>
        <div class="form-actions">
          <button type="submit" class="button primary" data-testid="export-submit" disabled={submit.busy}>{t('exports.submit')}</button>
        </div>
      </form>

      <ErrorMessage error={formError ?? submit.error ?? download.error} />
      <SuccessMessage text={notice} />

      <div class="card">
        <div class="page-head">
          <h2>{t('exports.list')}</h2>
          <button type="button" class="button small" data-testid="export-reload" onClick={jobs.reload}>{t('exports.reload')}</button>
        </div>
        {pending && <p class="muted small" role="status" data-testid="export-polling">{t('exports.polling')}</p>}
        {jobs.error && !jobs.data && <ErrorMessage error={jobs.error} />}
        {jobs.data === undefined && !jobs.error && <p class="muted">{t('common.loading')}</p>}
        {jobs.data?.length === 0 && <p class="muted" data-testid="export-empty">{t('exports.empty')}</p>}
        {!!jobs.data?.length && (
          <div class="table-wrap">
            <table class="audit-table" data-testid="export-list">
              <thead>
                <tr><th>{t('exports.requestedAt')}</th><th>{t('exports.target')}</th><th>{t('exports.range')}</th>
                  <th>{t('exports.state')}</th><th>{t('exports.messages')}</th><th>{t('exports.size')}</th>
                  <th>SHA-256</th><th>{t('exports.expires')}</th><th /></tr>
              </thead>
              <tbody>
                {jobs.data.map((job) => (
                  <ExportRow key={job.id} job={job} target={targetText(job.scope, job.targetId, names)} busy={download.busy}
                    onDownload={() => save(job)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <section class="card stack help" data-testid="export-verify-help">
        <h2>{t('exports.verifyTitle')}</h2>
        <p>{t('exports.verifyIntro')}</p>
        <pre><code>java -jar kairan-server.jar verify-export kairan-export-….zip</code></pre>
        <p>{t('exports.verifyJose', { url: `${location.origin}/api/v1/auth/jwks` })}</p>
        <p>{t('exports.verifyHash')}</p>
        <pre><code>certutil -hashfile kairan-export-….zip SHA256{'\n'}sha256sum kairan-export-….zip</code></pre>
      </section>
    </section>
  );
}

function ExportRow({ job, target, busy, onDownload }: { job: ExportJob; target: string; busy: boolean; onDownload: () => void }) {
  const key = stateKey(job.state);
  const when = (iso: string | null | undefined) => (iso ? jstDateTime(iso, lang()) : '—');
  return (
    <tr data-testid="export-row" data-id={job.id} data-state={job.state}>
      <td class="nowrap"><time dateTime={job.createdAt}>{when(job.createdAt)}</time></td>
      <td data-testid="export-target">{target}</td>
      <td class="nowrap" data-testid="export-range">{rangeText(job.from, job.to)}</td>
      <td>
        <span class={`badge export-${job.state}`} data-testid="export-state" data-state={job.state}>
          {key ? t(key) : job.state}
        </span>
        {job.state === 'failed' && job.error && <span class="block muted small">{job.error}</span>}
      </td>
      <td class="nowrap" data-testid="export-count">{isPending(job) && job.messageCount === 0 ? '—' : t('exports.count', { count: job.messageCount.toLocaleString('en') })}</td>
      <td class="nowrap" data-testid="export-size">{job.state === 'done' ? formatBytes(job.sizeBytes) : '—'}</td>
      <td class="nowrap">{job.sha256 ? <HashCell sha256={job.sha256} /> : '—'}</td>
      <td class="nowrap" data-testid="export-expires">{when(job.expiresAt)}</td>
      <td>
        {job.state === 'done' && (
          <button type="button" class="button small primary" data-testid="export-download" disabled={busy}
            onClick={onDownload}>{t('exports.download')}</button>
        )}
      </td>
    </tr>
  );
}

/** The first digits of the archive's SHA-256, the whole one in the tooltip and on the clipboard. */
function HashCell({ sha256 }: { sha256: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(sha256);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <span class="hash">
      <code data-testid="export-sha256" data-sha256={sha256} title={sha256}>{shortHash(sha256)}</code>{' '}
      <button type="button" class="button small" data-testid="export-sha256-copy" aria-label={t('exports.copyHash')} onClick={copy}>
        {copied ? t('once.copied') : copied === false ? t('exports.copyFailed') : t('once.copy')}
      </button>
    </span>
  );
}
