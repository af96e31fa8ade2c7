import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../../api/client';
import type { Chat } from '../../chat/chat';
import { ErrorMessage, Field } from '../../components/ui';
import { useAction } from '../../hooks';
import { t } from '../../i18n/i18n';
import { PeoplePicker } from './PeoplePicker';

/** Creates a group room: a name and members from the directory; the caller becomes its owner. */
export function NewRoom({ chat }: { chat: Chat }) {
  const [name, setName] = useState('');
  const [members, setMembers] = useState<Schemas['DirectoryEntry'][]>([]);
  const action = useAction();

  // Presence of people outside the followed set is a snapshot: read it fresh.
  useEffect(() => {
    chat.loadPresence().catch(() => {});
  }, [chat]);

  function submit(e: Event) {
    e.preventDefault();
    void action.run(async () => {
      const room = await chat.createRoom(name.trim(), members.map((m) => m.id));
      location.hash = `#/rooms/${room.id}`;
    });
  }

  return (
    <section class="panel" data-testid="new-room-panel">
      <header class="panel-head">
        <a class="room-back" href="#/" aria-label={t('chat.backToList')}>‹</a>
        <h2>{t('chat.newRoomTitle')}</h2>
      </header>
      <form class="stack panel-body" onSubmit={submit}>
        <Field label={t('chat.roomName')}>
          <input data-testid="room-name-input" value={name} required maxLength={100} autoFocus
            onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <div class="field">
          <span class="field-label">{t('chat.chooseMembers')}</span>
          <PeoplePicker testid="member-picker" selected={members} onChange={setMembers} exclude={[chat.me.id]} presence={chat.state.presence} />
        </div>
        <ErrorMessage error={action.error} />
        <div class="form-actions">
          <button type="submit" class="button primary" data-testid="create-room-submit" disabled={action.busy || !name.trim()}>
            {t('chat.create')}
          </button>
          <a class="button" href="#/" data-testid="new-room-cancel">{t('common.cancel')}</a>
        </div>
      </form>
    </section>
  );
}
