import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../../api/client';
import type { Chat } from '../../chat/chat';
import type { RoomRole, RoomState } from '../../chat/store';
import { ConfirmButton, ErrorMessage, Field, SuccessMessage } from '../../components/ui';
import { useAction } from '../../hooks';
import { t } from '../../i18n/i18n';
import { PeoplePicker } from './PeoplePicker';
import { RoomPolicySettings } from './RoomPolicySettings';
import { Avatar, PresenceDot, presenceOf } from './parts';

const ROLES: RoomRole[] = ['owner', 'admin', 'member'];

/**
 * A room's settings: members with their roles and presence; for room owners and admins renaming, inviting,
 * removing and archiving; for room owners changing roles; for every member of a group leaving.
 */
export function RoomSettings({ chat, roomId }: { chat: Chat; roomId: string }) {
  const room: RoomState | undefined = chat.state.rooms[roomId];
  const load = useAction();
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);
  const [name, setName] = useState(room?.name ?? '');
  const [invite, setInvite] = useState<Schemas['DirectoryEntry'][]>([]);

  useEffect(() => {
    void load.run(() => chat.openRoom(roomId));
  }, [chat, roomId]);
  useEffect(() => setName(room?.name ?? ''), [room?.name]);

  const back = (
    <header class="panel-head">
      <a class="room-back" href={`#/rooms/${roomId}`} data-testid="room-settings-close" aria-label={t('chat.backToRoom')}>‹</a>
      <h2>{room ? t('roomSettings.roomTitle', { name: room.name }) : t('chat.settings')}</h2>
    </header>
  );
  if (!room) {
    return <section class="panel" data-testid="room-settings">{back}<div class="panel-body"><ErrorMessage error={load.error} /></div></section>;
  }

  const group = room.kind === 'group';
  const manager = room.myRole === 'owner' || room.myRole === 'admin';
  const canManage = group && manager && !room.archived;
  const owner = room.myRole === 'owner';
  const run = (message: string | (() => string), work: () => Promise<unknown>) => {
    setDone(null);
    return action.run(async () => {
      await work();
      setDone(typeof message === 'string' ? message : message());
    });
  };

  return (
    <section class="panel" data-testid="room-settings">
      {back}
      <div class="panel-body stack">
        <SuccessMessage text={done} />
        <ErrorMessage error={action.error ?? load.error} />
        {canManage && (
          <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void run(t('roomSettings.renamed'), () => chat.updateRoom(roomId, { name: name.trim() })); }}>
            <Field label={t('chat.roomName')}>
              <input data-testid="room-rename-input" value={name} required maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
            </Field>
            <button type="submit" class="button" data-testid="room-rename-save" disabled={action.busy || !name.trim() || name.trim() === room.name}>
              {t('roomSettings.rename')}
            </button>
          </form>
        )}

        <div>
          <h3>{t('chat.members', { count: room.members?.length ?? room.memberCount })}</h3>
          <ul class="member-list" data-testid="member-list">
            {(room.members ?? []).map((m) => (
              <li key={m.userId} class="member-row" data-testid={`member-row-${m.userId}`}>
                <Avatar id={m.userId} name={m.displayName}>
                  <PresenceDot userId={m.userId} status={presenceOf(chat.state.presence, m.userId)} testid={`member-presence-${m.userId}`} />
                </Avatar>
                <span class="member-name">{m.displayName}{m.userId === chat.me.id && <span class="muted">{t('roomSettings.me')}</span>}</span>
                {owner && group && !room.archived ? (
                  <select data-testid={`member-role-${m.userId}`} value={m.role} aria-label={t('roomSettings.role', { name: m.displayName })}
                    onChange={(e) => run(t('roomSettings.roleChanged'), () => chat.setMemberRole(roomId, m.userId, e.currentTarget.value as RoomRole))}>
                    {ROLES.map((r) => <option key={r} value={r}>{t(`roomRole.${r}`)}</option>)}
                  </select>
                ) : (
                  <span class={`badge role-${m.role}`} data-testid={`member-role-label-${m.userId}`}>{t(`roomRole.${m.role}`)}</span>
                )}
                {canManage && m.userId !== chat.me.id && (
                  <ConfirmButton label={t('roomSettings.remove')} question={t('roomSettings.removeQuestion', { name: m.displayName })}
                    testid={`member-remove-${m.userId}`} danger
                    onConfirm={() => run(t('roomSettings.removed', { name: m.displayName }), () => chat.removeMember(roomId, m.userId))} />
                )}
              </li>
            ))}
          </ul>
        </div>

        {canManage && (
          <div class="stack invite">
            <h3>{t('roomSettings.invite')}</h3>
            <PeoplePicker testid="invite-picker" selected={invite} onChange={setInvite} presence={chat.state.presence}
              exclude={(room.members ?? []).map((m) => m.userId)} />
            <button type="button" class="button primary" data-testid="invite-submit" disabled={action.busy || invite.length === 0}
              onClick={() => run(t('roomSettings.invited'), async () => {
                await chat.addMembers(roomId, invite.map((i) => i.id));
                setInvite([]);
              })}>
              {t('roomSettings.inviteSubmit', { count: invite.length })}
            </button>
          </div>
        )}

        <RoomPolicySettings chat={chat} room={room} busy={action.busy} run={run} />

        {group && room.member && (
          <div class="danger-zone">
            {manager && (room.archived ? (
              <ConfirmButton label={t('roomSettings.restore')} question={t('roomSettings.restoreQuestion')} testid="room-restore"
                onConfirm={() => run(t('roomSettings.restored'), () => chat.updateRoom(roomId, { archived: false }))} />
            ) : (
              <ConfirmButton label={t('roomSettings.archive')} question={t('roomSettings.archiveQuestion')} testid="room-archive" danger
                onConfirm={() => run(t('roomSettings.archived'), () => chat.updateRoom(roomId, { archived: true }))} />
            ))}
            <ConfirmButton label={t('roomSettings.leave')} question={t('roomSettings.leaveQuestion')} testid="room-leave" danger
              onConfirm={() => action.run(async () => {
                await chat.removeMember(roomId, chat.me.id);
                location.hash = '#/';
              })} />
          </div>
        )}
      </div>
    </section>
  );
}
