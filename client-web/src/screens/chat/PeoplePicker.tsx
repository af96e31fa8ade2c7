import { useState } from 'preact/hooks';
import { api, type Schemas } from '../../api/client';
import { ErrorMessage } from '../../components/ui';
import { useDebounced, useLoad } from '../../hooks';
import { t } from '../../i18n/i18n';
import { Avatar, PresenceDot, presenceOf } from './parts';
import type { PresenceStatus } from '../../gateway/frames';

type Entry = Schemas['DirectoryEntry'];

/**
 * Chooses colleagues from the organization's directory: a search box (`{testid}-search`), a checkbox per
 * person (`{testid}-option-{userId}`) and the chosen ones as removable chips (`{testid}-selected-{userId}`).
 */
export function PeoplePicker({ testid, selected, onChange, exclude, presence }: {
  testid: string;
  selected: Entry[];
  onChange: (people: Entry[]) => void;
  /** User ids not offered (the caller, current members). */
  exclude: string[];
  presence: Record<string, PresenceStatus>;
}) {
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim(), 250);
  const directory = useLoad(() => api.call('get', '/api/v1/directory', { query: { q: q || undefined } }), [q]);
  const offered = (directory.data ?? []).filter((e) => !exclude.includes(e.id));
  const isChosen = (id: string) => selected.some((s) => s.id === id);
  const toggle = (entry: Entry, on: boolean) =>
    onChange(on ? [...selected.filter((s) => s.id !== entry.id), entry] : selected.filter((s) => s.id !== entry.id));

  return (
    <div class="picker" data-testid={testid}>
      {selected.length > 0 && (
        <ul class="chips" aria-label={t('picker.selected')}>
          {selected.map((s) => (
            <li key={s.id} class="chip" data-testid={`${testid}-selected-${s.id}`}>
              {s.displayName}
              <button type="button" class="chip-remove" aria-label={t('picker.remove', { name: s.displayName })}
                onClick={() => toggle(s, false)}>×</button>
            </li>
          ))}
        </ul>
      )}
      <input type="search" data-testid={`${testid}-search`} value={typed} placeholder={t('picker.search')}
        aria-label={t('picker.search')} maxLength={100} onInput={(e) => setTyped(e.currentTarget.value)} />
      <ErrorMessage error={directory.error} />
      <ul class="picker-list">
        {offered.map((e) => (
          <li key={e.id}>
            <label class="picker-row">
              <input type="checkbox" data-testid={`${testid}-option-${e.id}`} checked={isChosen(e.id)}
                onChange={(ev) => toggle(e, ev.currentTarget.checked)} />
              <Avatar id={e.id} name={e.displayName} />
              <span class="picker-name">{e.displayName}</span>
              {e.departmentName && <span class="picker-dept">{e.departmentName}</span>}
              <PresenceDot userId={e.id} status={presenceOf(presence, e.id)} testid={`${testid}-presence-${e.id}`} />
            </label>
          </li>
        ))}
        {directory.data && offered.length === 0 && <li class="muted" data-testid={`${testid}-empty`}>{t('picker.empty')}</li>}
      </ul>
    </div>
  );
}
