import { useEffect, useState } from 'preact/hooks';
import {
  allowedCeilings, DEFAULT_EMERGENCY_HOURS, DEFAULT_EMERGENCY_MAX_HOURS, emergencyActive, MAX_EMERGENCY_REASON,
  type ImportanceClass,
} from '../../api/policy';
import type { Chat } from '../../chat/chat';
import type { RoomState } from '../../chat/store';
import { ConfirmButton, Field } from '../../components/ui';
import { UiError } from '../../errors';
import { dateTime } from '../../format';
import { useLoad } from '../../hooks';
import { lang, t } from '../../i18n/i18n';
import { isOrgAdmin, isOwner } from '../../roles';
import { classLabel } from './policy';

/**
 * A room's information class (POLICY.md): its ceiling, which room owners may make stricter than the org default
 * and org owners may set to anything; and its emergency: org owners request it, another org owner or admin
 * approves it, org owners and admins or the requester end it early.
 */
export function RoomPolicySettings({ chat, room, busy, run }: {
  chat: Chat;
  room: RoomState;
  busy: boolean;
  /** Runs a change, then shows `message` (or the error) at the top of the settings. */
  run: (message: string | (() => string), work: () => Promise<unknown>) => Promise<void>;
}) {
  const policy = room.policy;
  const me = chat.me;
  const orgOwner = isOwner(me);
  const orgAdmin = isOrgAdmin(me);
  const [ceiling, setCeiling] = useState<string>(policy?.ownCeiling ?? '');
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState(String(DEFAULT_EMERGENCY_HOURS));
  useEffect(() => setCeiling(policy?.ownCeiling ?? ''), [policy?.ownCeiling]);
  // The longest emergency the org allows, for the one who may request it.
  const org = useLoad(async () => (orgOwner && me.orgId ? chat.policy.orgPolicy(me.orgId) : null), [orgOwner, me.orgId]);
  const maxHours = org.data?.emergencyMaxHours ?? DEFAULT_EMERGENCY_MAX_HOURS;

  if (!policy) return null;
  const canSetCeiling = room.myRole === 'owner' || orgAdmin;
  const allowed = allowedCeilings(policy.orgDefault, orgOwner);
  const emergency = policy.emergency;
  const active = emergencyActive(policy);
  const canApprove = !!emergency && emergency.state === 'pending' && orgAdmin && emergency.requestedBy !== me.id;
  const canEnd = !!emergency && (orgAdmin || emergency.requestedBy === me.id);

  function saveCeiling(e: Event) {
    e.preventDefault();
    const value = (ceiling || null) as ImportanceClass | null;
    void run(t('policy.settings.saved'), () => chat.setCeiling(room.id, value));
  }

  function requestEmergency(e: Event) {
    e.preventDefault();
    const text = reason.trim();
    const h = Number(hours.trim());
    const said = () => t(emergencyActive(chat.state.rooms[room.id]?.policy) ? 'policy.emergency.started' : 'policy.emergency.requested');
    void run(said, async () => {
      if (text.length === 0 || text.length > MAX_EMERGENCY_REASON) throw new UiError('policy.emergency.reasonInvalid');
      if (!/^\d+$/.test(hours.trim()) || h < 1 || h > maxHours) throw new UiError('policy.emergency.hoursInvalid');
      await chat.requestEmergency(room.id, text, h);
      setReason('');
    });
  }

  return (
    <div class="policy-section" data-testid="room-policy">
      <h3>{t('policy.settings.title')}</h3>
      <p data-testid="room-ceiling-current" data-ceiling={policy.ceiling}>
        {t('policy.settings.current', { class: classLabel(policy.ceiling) })}
      </p>
      {active && <p class="field-hint">{t('policy.settings.effective')}</p>}
      {canSetCeiling && (
        <form class="inline-form" onSubmit={saveCeiling}>
          <Field label={t('policy.settings.ceiling')} hint={orgOwner ? undefined : t('policy.settings.stricterOnly', { class: classLabel(policy.orgDefault) })}>
            <select data-testid="room-ceiling-select" value={ceiling} onChange={(e) => setCeiling(e.currentTarget.value)}>
              <option value="">{t('policy.settings.followDefault', { class: classLabel(policy.orgDefault) })}</option>
              {allowed.map((c) => <option key={c} value={c}>{classLabel(c)}</option>)}
              {policy.ownCeiling && !allowed.includes(policy.ownCeiling) && (
                <option value={policy.ownCeiling} disabled>{classLabel(policy.ownCeiling)}</option>
              )}
            </select>
          </Field>
          <button type="submit" class="button" data-testid="room-ceiling-save" disabled={busy || ceiling === (policy.ownCeiling ?? '')}>
            {t('policy.settings.save')}
          </button>
        </form>
      )}

      <h3>{t('policy.emergency.title')}</h3>
      <p class="field-hint">{t('policy.emergency.help')}</p>
      {emergency ? (
        <div class={`emergency-state ${active ? 'active' : emergency.state}`} data-testid="emergency-state" data-state={emergency.state}>
          <strong>{emergency.state === 'active' ? t('policy.emergency.stateActive') : t('policy.emergency.statePending')}</strong>
          <span>{t('policy.emergency.reason', { reason: emergency.reason })}</span>
          <span>{t('policy.emergency.requestedBy', { name: emergency.requestedByName, time: dateTime(emergency.requestedAt, lang()) })}</span>
          {emergency.approvedByName && emergency.approvedAt && (
            <span>{t('policy.emergency.approvedBy', { name: emergency.approvedByName, time: dateTime(emergency.approvedAt, lang()) })}</span>
          )}
          {emergency.endsAt && <span>{t('policy.emergency.until', { time: dateTime(emergency.endsAt, lang()) })}</span>}
          {emergency.state === 'pending' && !canApprove && <span class="field-hint">{t('policy.emergency.needsOther')}</span>}
          <div class="form-actions">
            {canApprove && (
              <ConfirmButton label={t('policy.emergency.approve')} question={t('policy.emergency.approveQuestion')} testid="emergency-approve"
                disabled={busy} onConfirm={() => void run(t('policy.emergency.approved'), () => chat.approveEmergency(room.id))} />
            )}
            {canEnd && (
              <ConfirmButton label={emergency.state === 'pending' ? t('policy.emergency.withdraw') : t('policy.emergency.end')}
                question={t('policy.emergency.endQuestion')} testid="emergency-end" danger disabled={busy}
                onConfirm={() => void run(t('policy.emergency.ended'), () => chat.endEmergency(room.id))} />
            )}
          </div>
        </div>
      ) : (
        <p class="muted" data-testid="emergency-state" data-state="none">{t('policy.emergency.none')}</p>
      )}
      {!emergency && orgOwner && (
        <form class="stack-tight" onSubmit={requestEmergency}>
          <Field label={t('policy.emergency.reasonLabel')}>
            <textarea data-testid="emergency-reason-input" value={reason} rows={2} maxLength={MAX_EMERGENCY_REASON} required
              placeholder={t('policy.emergency.reasonPlaceholder')} onInput={(e) => setReason(e.currentTarget.value)} />
          </Field>
          <Field label={t('policy.emergency.hoursLabel', { max: maxHours })}>
            <input type="number" data-testid="emergency-hours-input" value={hours} min={1} max={maxHours} step={1} required
              inputMode="numeric" onInput={(e) => setHours(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="button danger" data-testid="emergency-request" disabled={busy || !reason.trim()}>
            {t('policy.emergency.request')}
          </button>
        </form>
      )}
    </div>
  );
}
