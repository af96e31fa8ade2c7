import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/i18n';
import type { Chat } from './chat';
import { mentions, totalUnread, type RoomState } from './store';
import type { MessageView } from '../gateway/frames';

/**
 * Connects a chat to the browser: page visibility (presence, read marks), the network coming back (reconnect
 * at once), desktop notifications while the page is hidden, and the unread total in the tab title. Returns the
 * function that undoes it.
 */
export function attachBrowser(chat: Chat): () => void {
  const visibility = () => chat.setVisible(document.visibilityState !== 'hidden');
  // An open WebSocket does not notice a lost network (nor DevTools' offline mode): drop it and wait.
  const online = () => chat.gateway.reconnectNow();
  const offline = () => chat.gateway.drop();
  document.addEventListener('visibilitychange', visibility);
  addEventListener('online', online);
  addEventListener('offline', offline);
  visibility();
  const stops = [
    chat.subscribe(() => updateTitle(chat)),
    chat.onIncoming((room, message) => {
      if (document.visibilityState === 'hidden') notify(room, message, chat.me.id);
    }),
  ];
  updateTitle(chat);
  return () => {
    document.removeEventListener('visibilitychange', visibility);
    removeEventListener('online', online);
    removeEventListener('offline', offline);
    for (const stop of stops) stop();
    document.title = t('app.title');
  };
}

/** `(3) 回覧 Kairan` while there are unread messages. */
export function updateTitle(chat: Chat | null): void {
  const unread = chat ? totalUnread(chat.state) : 0;
  const title = unread > 0 ? `(${unread}) ${t('app.title')}` : t('app.title');
  if (document.title !== title) document.title = title;
}

/** Whether desktop notifications can be asked for (`default`), are on, or were refused; null without support. */
export function notificationPermission(): NotificationPermission | null {
  return typeof Notification === 'undefined' ? null : Notification.permission;
}

/** The permission and a function that asks for it (call from a click, never on load). */
export function useNotificationPermission(): [NotificationPermission | null, () => void] {
  const [permission, setPermission] = useState(notificationPermission);
  useEffect(() => setPermission(notificationPermission()), []);
  const ask = () => {
    if (typeof Notification === 'undefined') return;
    void Notification.requestPermission().then(setPermission);
  };
  return [permission, ask];
}

function notify(room: RoomState, message: MessageView, me: string): void {
  if (notificationPermission() !== 'granted' || message.deleted) return;
  const mentioned = mentions(message, me);
  const title = mentioned ? t('notify.mention', { name: message.senderName, room: room.name })
    : room.kind === 'direct' ? message.senderName : room.name;
  const text = message.text ?? '';
  const body = room.kind === 'direct' && !mentioned ? text : `${message.senderName}: ${text}`;
  try {
    const n = new Notification(title, { body: body.slice(0, 200), tag: `kairan-room-${room.id}`, icon: '/favicon.svg' });
    n.onclick = () => {
      window.focus();
      location.hash = `#/rooms/${room.id}`;
      n.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker; then there are none.
  }
}
