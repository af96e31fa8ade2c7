import type { ComponentChildren } from 'preact';
import type { Chat } from '../../chat/chat';
import type { PresenceStatus } from '../../gateway/frames';
import type { GatewayStatus } from '../../gateway/connection';
import { t } from '../../i18n/i18n';

/** A round badge with the first character of a name; its colour follows the id. */
export function Avatar({ id, name, children }: { id: string; name: string; children?: ComponentChildren }) {
  const colour = [...id].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 8;
  return (
    <span class={`avatar avatar-c${colour}`} aria-hidden="true">
      {[...name.trim()][0] ?? '?'}
      {children}
    </span>
  );
}

/** A presence dot: green online, amber away, grey offline. */
export function PresenceDot({ userId, status, testid }: { userId: string; status: PresenceStatus; testid?: string }) {
  return (
    <span class={`presence presence-${status}`} data-testid={testid ?? `presence-${userId}`} data-status={status}
      title={t(`presence.${status}`)} role="img" aria-label={t(`presence.${status}`)} />
  );
}

export function presenceOf(presence: Record<string, PresenceStatus>, userId: string): PresenceStatus {
  return presence[userId] ?? 'offline';
}

/** The gateway connection's state, and a button to reconnect at once while waiting or failed. */
export function ConnectionStatus({ chat }: { chat: Chat }) {
  const status: GatewayStatus = chat.status;
  const label = status === 'online' ? t('conn.online')
    : status === 'waiting' ? t('conn.waiting', { seconds: Math.ceil((chat.gateway.retryDelayMs ?? 0) / 1000) })
      : status === 'failed' ? t('conn.failed')
        : status === 'signedOut' ? t('conn.signedOut')
          : status === 'revoked' ? t('conn.revoked')
          : status === 'idle' ? t('conn.idle') : t('conn.connecting');
  return (
    <span class={`conn conn-${status}`} data-testid="connection-status" data-status={status} role="status">
      <span class="conn-dot" aria-hidden="true" />
      <span class="conn-label">{label}</span>
      {(status === 'waiting' || status === 'failed') && (
        <button type="button" class="link" data-testid="reconnect-now" onClick={() => chat.gateway.reconnectNow()}>
          {t('conn.retry')}
        </button>
      )}
    </span>
  );
}
