import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';
import { jstDateTime } from '../audit';
import { ErrorMessage, Field, MAX_REASON_CHARS, ReasonButton, SuccessMessage } from '../components/ui';
import { UiError } from '../errors';
import { useAction, useLoad } from '../hooks';
import { lang, t } from '../i18n/i18n';
import {
  activeHolds, daysText, HOLD_SCOPES, MAX_DAYS, MIN_DAYS, parseDays, targetText, toHoldRequest, type HoldScope, type LegalHold,
} from '../retention';
import { isOwner } from '../roles';

type Me = Schemas['Me'];
type RoomSummary = Schemas['RoomSummary'];
type DirectoryEntry = Schemas['DirectoryEntry'];

/**
 * `#/retention` (保存期間とリーガルホールド): the organization's retention period, the rooms with their own, and
 * legal holds (HTTP-API.md "Retention and legal holds"). Owners change everything; admins see it all and may set
 * a room's own period (as the API allows), but neither change the organization's period nor place or release
 * holds. Room choices: every room for owners (`GET /orgs/{orgId}/rooms`), one's own rooms for admins, or an ID.
 */
export function Retention({ orgId, me }: { orgId: string; me: Me }) {
  const owner = isOwner(me);
  const retention = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/retention', { params: { orgId } }), [orgId]);
  const holds = useLoad(() => api.call('get', '/api/v1/orgs/{orgId}/holds', { params: { orgId } }), [orgId]);
  const rooms = useLoad<RoomSummary[]>(() => (owner
    ? api.call('get', '/api/v1/orgs/{orgId}/rooms', { params: { orgId } })
    : api.call('get', '/api/v1/rooms')).catch(() => []), [orgId, owner]);
  const people = useLoad<DirectoryEntry[]>(() => api.call('get', '/api/v1/directory').catch(() => []), [orgId]);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();

  const names = useMemo(() => {
    const roomNames = new Map((rooms.data ?? []).map((r) => [r.id, r.name]));
    for (const r of retention.data?.rooms ?? []) if (r.name && !roomNames.has(r.roomId)) roomNames.set(r.roomId, r.name);
    return { rooms: roomNames as ReadonlyMap<string, string>, users: new Map((people.data ?? []).map((p) => [p.id, p.displayName])) };
  }, [rooms.data, people.data, retention.data]);

  const run = (message: string, work: () => Promise<unknown>) => {
    setNotice(null);
    return action.run(async () => {
      await work();
      setNotice(message);
    });
  };

  return (
    <section class="page">
      <div class="page-head">
        <h1>{t('retention.title')}</h1>
      </div>
      <p class="muted">{t('retention.intro')}</p>
      {!owner && <p class="muted" data-testid="retention-readonly">{t('retention.adminNote')}</p>}
      <ErrorMessage error={action.error ?? retention.error ?? holds.error} />
      <SuccessMessage text={notice} />

      {retention.data && (
        <OrgPeriod days={retention.data.days ?? null} canChange={owner} busy={action.busy} onSave={(days) => run(t('retention.saved'),
          async () => {
            await api.call('put', '/api/v1/orgs/{orgId}/retention', { params: { orgId }, body: { days } });
            retention.reload();
          })} />
      )}

      {retention.data && (
        <RoomPeriods rooms={retention.data.rooms} roomChoices={rooms.data ?? []} names={names} busy={action.busy}
          onSave={(roomId, days) => run(t('retention.saved'), async () => {
            await api.call('put', '/api/v1/rooms/{roomId}/retention', { params: { roomId }, body: { days } });
            retention.reload();
          })} />
      )}

      <Holds holds={holds.data} canChange={owner} names={names} roomChoices={rooms.data ?? []} people={people.data ?? []}
        busy={action.busy}
        onPlace={(request) => run(t('retention.holdPlaced'), async () => {
          await api.call('post', '/api/v1/orgs/{orgId}/holds', { params: { orgId }, body: request });
          holds.reload();
        })}
        onRelease={(holdId, reason) => run(t('retention.holdReleased'), async () => {
          await api.call('post', '/api/v1/orgs/{orgId}/holds/{holdId}/release', { params: { orgId, holdId }, body: { reason } });
          holds.reload();
        })} />
    </section>
  );
}

/** The organization's period: 無期限 or days (owners change it). */
function OrgPeriod({ days, canChange, busy, onSave }: {
  days: number | null; canChange: boolean; busy: boolean; onSave: (days: number | null) => void;
}) {
  const [forever, setForever] = useState(days == null);
  const [typed, setTyped] = useState(days == null ? '' : String(days));
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setForever(days == null);
    setTyped(days == null ? '' : String(days));
  }, [days]);

  function save(e: Event) {
    e.preventDefault();
    if (forever) {
      setError(null);
      onSave(null);
      return;
    }
    const parsed = parseDays(typed);
    if ('error' in parsed || parsed.days === null) {
      setError(new UiError('error' in parsed ? parsed.error : 'retention.daysInvalid'));
      return;
    }
    setError(null);
    onSave(parsed.days);
  }

  return (
    <form class="card stack" data-testid="retention-org" onSubmit={save}>
      <h2>{t('retention.orgTitle')}</h2>
      <p>{t('retention.current')} <strong data-testid="retention-org-days" data-days={days ?? ''}>{daysText(days)}</strong></p>
      {canChange && (
        <>
          <fieldset class="checks">
            <legend>{t('retention.orgPeriod')}</legend>
            <label class="check">
              <input type="radio" name="retention-org" data-testid="retention-org-forever" checked={forever}
                onChange={() => setForever(true)} />
              {t('retention.forever')}
            </label>
            <label class="check">
              <input type="radio" name="retention-org" data-testid="retention-org-limited" checked={!forever}
                onChange={() => setForever(false)} />
              {t('retention.limited')}
            </label>
          </fieldset>
          {!forever && (
            <Field label={t('retention.daysLabel')} hint={t('retention.daysHint', { min: MIN_DAYS, max: MAX_DAYS.toLocaleString('en') })}>
              <input type="number" data-testid="retention-org-days-input" value={typed} min={MIN_DAYS} max={MAX_DAYS} step={1}
                required inputMode="numeric" onInput={(e) => setTyped(e.currentTarget.value)} />
            </Field>
          )}
          <p class="field-hint warning">{t('retention.purgeWarning')}</p>
          <ErrorMessage error={error} />
          <div class="form-actions">
            <button type="submit" class="button primary" data-testid="retention-org-save" disabled={busy}>{t('common.save')}</button>
          </div>
        </>
      )}
    </form>
  );
}

/** Rooms with their own period, and a form to give one its own or to let it follow the organization again. */
function RoomPeriods({ rooms, roomChoices, names, busy, onSave }: {
  rooms: Schemas['Retention']['rooms']; roomChoices: RoomSummary[]; names: { rooms: ReadonlyMap<string, string> }; busy: boolean;
  onSave: (roomId: string, days: number | null) => void;
}) {
  const [roomId, setRoomId] = useState('');
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(null);

  function save(e: Event) {
    e.preventDefault();
    const id = roomId.trim();
    if (!/^\d{1,19}$/.test(id)) {
      setError(new UiError('exports.roomRequired'));
      return;
    }
    const parsed = parseDays(typed);
    if ('error' in parsed) {
      setError(new UiError(parsed.error));
      return;
    }
    setError(null);
    onSave(id, parsed.days);
  }

  return (
    <section class="card stack" data-testid="retention-rooms">
      <h2>{t('retention.roomsTitle')}</h2>
      {rooms.length === 0
        ? <p class="muted" data-testid="retention-rooms-empty">{t('retention.roomsEmpty')}</p>
        : (
          <div class="table-wrap">
            <table class="audit-table" data-testid="retention-room-list">
              <thead><tr><th>{t('retention.room')}</th><th>{t('retention.period')}</th><th /></tr></thead>
              <tbody>
                {rooms.map((r) => (
                  <tr key={r.roomId} data-testid="retention-room-row" data-id={r.roomId} data-days={r.days}>
                    <td>{r.name ?? names.rooms.get(r.roomId) ?? t('scope.roomId', { id: r.roomId })}
                      <span class="muted small"> #{r.roomId}</span></td>
                    <td data-testid="retention-room-days">{daysText(r.days)}</td>
                    <td>
                      <button type="button" class="button small" data-testid="retention-room-clear" disabled={busy}
                        onClick={() => onSave(r.roomId, null)}>{t('retention.followOrg')}</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      <form class="stack" onSubmit={save}>
        <h3>{t('retention.roomSet')}</h3>
        <RoomInput testid="retention-room-input" listId="retention-room-choices" value={roomId} rooms={roomChoices} onInput={setRoomId} />
        <Field label={t('retention.daysLabel')} hint={t('retention.roomDaysHint')}>
          <input type="number" data-testid="retention-room-days-input" value={typed} min={MIN_DAYS} max={MAX_DAYS} step={1}
            inputMode="numeric" onInput={(e) => setTyped(e.currentTarget.value)} />
        </Field>
        <ErrorMessage error={error} />
        <div class="form-actions">
          <button type="submit" class="button primary" data-testid="retention-room-save" disabled={busy}>{t('common.save')}</button>
        </div>
      </form>
    </section>
  );
}

/** A room ID typed, or picked from the rooms this user can list. */
function RoomInput({ testid, listId, value, rooms, onInput }: {
  testid: string; listId: string; value: string; rooms: RoomSummary[]; onInput: (id: string) => void;
}) {
  const known = rooms.find((r) => r.id === value.trim());
  return (
    <Field label={t('exports.room')} hint={known ? known.name : t('retention.roomHint')}>
      <input type="text" data-testid={testid} value={value} list={listId} inputMode="numeric" autoComplete="off"
        placeholder={t('exports.roomPlaceholder')} onInput={(e) => onInput(e.currentTarget.value)} />
      <datalist id={listId}>
        {rooms.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
      </datalist>
    </Field>
  );
}

/** Legal holds, active first; owners place them and release them, each with a reason. */
function Holds({ holds, canChange, names, roomChoices, people, busy, onPlace, onRelease }: {
  holds: LegalHold[] | undefined; canChange: boolean; names: { rooms: ReadonlyMap<string, string>; users: ReadonlyMap<string, string> };
  roomChoices: RoomSummary[]; people: DirectoryEntry[]; busy: boolean;
  onPlace: (request: Schemas['HoldRequest']) => void; onRelease: (holdId: string, reason: string) => void;
}) {
  const [scope, setScope] = useState<HoldScope>('room');
  const [targetId, setTargetId] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const who = (id: string | null | undefined) => (id ? names.users.get(id) ?? `#${id}` : '—');
  const when = (iso: string | null | undefined) => (iso ? jstDateTime(iso, lang()) : '—');

  function place(e: Event) {
    e.preventDefault();
    const checked = toHoldRequest({ scope, targetId, reason });
    if ('error' in checked) {
      setError(new UiError(checked.error));
      return;
    }
    setError(null);
    setReason('');
    onPlace(checked.request);
  }

  const active = holds ? activeHolds(holds).length : 0;
  return (
    <section class="card stack" data-testid="holds">
      <h2>{t('retention.holdsTitle')}</h2>
      <p class="muted">{t('retention.holdsIntro')}</p>
      {holds === undefined && <p class="muted">{t('common.loading')}</p>}
      {holds?.length === 0 && <p class="muted" data-testid="hold-empty">{t('retention.holdsEmpty')}</p>}
      {!!holds?.length && (
        <>
          <p class="muted small" data-testid="hold-count">{t('retention.holdsCount', { active, total: holds.length })}</p>
          <div class="table-wrap">
            <table class="audit-table" data-testid="hold-list">
              <thead>
                <tr><th>{t('retention.holdState')}</th><th>{t('exports.target')}</th><th>{t('retention.reason')}</th>
                  <th>{t('retention.placed')}</th><th>{t('retention.released')}</th><th /></tr>
              </thead>
              <tbody>
                {holds.map((h) => (
                  <tr key={h.id} data-testid="hold-row" data-id={h.id} data-state={h.releasedAt ? 'released' : 'active'}>
                    <td><span class={h.releasedAt ? 'badge suspended' : 'badge active'} data-testid="hold-state">
                      {h.releasedAt ? t('retention.holdReleasedState') : t('retention.holdActive')}</span></td>
                    <td data-testid="hold-target">{targetText(h.scope, h.targetId, names)}</td>
                    <td class="pre-wrap" data-testid="hold-reason">{h.reason}</td>
                    <td class="nowrap">{when(h.createdAt)}<span class="block muted small">{who(h.createdBy)}</span></td>
                    <td>
                      {h.releasedAt ? (
                        <>
                          <span class="nowrap">{when(h.releasedAt)}</span>
                          <span class="block muted small">{who(h.releasedBy)}</span>
                          {h.releaseReason && <span class="block small pre-wrap" data-testid="hold-release-reason">{h.releaseReason}</span>}
                        </>
                      ) : '—'}
                    </td>
                    <td>
                      {canChange && !h.releasedAt && (
                        <ReasonButton label={t('retention.release')} question={t('retention.releaseQuestion')} testid="hold-release"
                          danger disabled={busy} onConfirm={(why) => onRelease(h.id, why)} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {canChange && (
        <form class="stack" data-testid="hold-form" onSubmit={place}>
          <h3>{t('retention.holdNew')}</h3>
          <fieldset class="checks">
            <legend>{t('exports.scope')}</legend>
            {HOLD_SCOPES.map((s) => (
              <label key={s} class="check">
                <input type="radio" name="hold-scope" data-testid={`hold-scope-${s}`} checked={scope === s}
                  onChange={() => { setScope(s); setTargetId(''); }} />
                {t(`exports.scope.${s}`)}
              </label>
            ))}
          </fieldset>
          {scope === 'room' && (
            <RoomInput testid="hold-target-room" listId="hold-room-choices" value={targetId} rooms={roomChoices} onInput={setTargetId} />
          )}
          {scope === 'user' && (
            <Field label={t('exports.user')}>
              <select data-testid="hold-target-user" value={targetId} onChange={(e) => setTargetId(e.currentTarget.value)}>
                <option value="">{t('exports.choose')}</option>
                {people.map((p) => (
                  <option key={p.id} value={p.id}>{p.displayName}{p.departmentName ? `（${p.departmentName}）` : ''}</option>
                ))}
              </select>
            </Field>
          )}
          <Field label={t('devices.reason')}>
            <textarea data-testid="hold-reason-input" value={reason} rows={2} maxLength={MAX_REASON_CHARS} required
              placeholder={t('retention.reasonPlaceholder')} onInput={(e) => setReason(e.currentTarget.value)} />
          </Field>
          <ErrorMessage error={error} />
          <div class="form-actions">
            <button type="submit" class="button primary" data-testid="hold-submit" disabled={busy}>{t('retention.place')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
