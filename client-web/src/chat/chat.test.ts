import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, type Schemas } from '../api/client';
import type { MessageView } from '../gateway/frames';
import { FakeSocket } from '../gateway/testing';
import { Chat, excerpt, gatewayUrl } from './chat';
import { unreadCount } from './store';

const me: Schemas['Me'] = {
  id: '11', loginId: 'yamada', displayName: '山田', orgId: '1', orgName: '架空市', departmentId: null, email: null,
  roles: ['member'], totpEnrolled: true,
};
const ROOM = '7';

function msg(seq: number, extra: Partial<MessageView> = {}): MessageView {
  return {
    id: String(1000 + seq), roomId: ROOM, seq, senderId: '12', senderName: '佐藤', text: `m${seq}`, sentAt: '2026-11-26T05:00:00Z',
    editedAt: null, deleted: false, replyTo: null, mentions: [], mentionAll: false, reactions: [],
  ...extra };
}

const summary: Schemas['RoomSummary'] = {
  id: ROOM, kind: 'group', name: '総務課', archived: false, myRole: 'member', memberCount: 2, lastSeq: 3, readSeq: 3,
  unread: 0, unreadMentions: 0, lastMessage: msg(3), peerId: null,
};
const detail: Schemas['RoomDetail'] = {
  id: ROOM, orgId: '1', kind: 'group', name: '総務課', archived: false, createdAt: '2026-11-01T00:00:00Z', myRole: 'member',
  readOnly: false, lastSeq: 3, members: [
    { userId: '11', displayName: '山田', role: 'member', readSeq: 3, readAt: null, joinedAt: '2026-11-01T00:00:00Z' },
    { userId: '12', displayName: '佐藤', role: 'owner', readSeq: 3, readAt: null, joinedAt: '2026-11-01T00:00:00Z' },
  ],
  policy: { ceiling: 'II', ownCeiling: null, orgDefault: 'II', effectiveCeiling: 'II', emergency: null },
};

/** A Chat over a fake socket and a fake HTTP API; `requests` records the API calls. */
function setup() {
  const requests: string[] = [];
  const server = { messages: [msg(1), msg(2), msg(3)] };
  const sockets: FakeSocket[] = [];
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  const fetchFn = async (input: RequestInfo | URL) => {
    const url = String(input);
    requests.push(url);
    if (url === '/api/v1/client-config') return json({ gatewayUrl: 'ws://gw/ws', gatewayPort: 8081, gatewayPath: '/ws', gatewayTls: false, subprotocols: ['kairan.v1'] });
    if (url === '/api/v1/rooms') return json([summary]);
    if (url === '/api/v1/presence') return json([{ userId: '12', status: 'online' }]);
    if (url === `/api/v1/rooms/${ROOM}`) return json(detail);
    if (url === `/api/v1/rooms/${ROOM}/policy`) return json({ ceiling: 'III', ownCeiling: 'III', orgDefault: 'II', effectiveCeiling: 'III', emergency: null });
    if (url.startsWith(`/api/v1/rooms/${ROOM}/messages`)) {
      const after = Number(new URL(url, 'http://x').searchParams.get('afterSeq') ?? 0);
      const messages = server.messages.filter((m) => m.seq > after);
      return json({ roomId: ROOM, messages, hasMore: false, lastSeq: server.messages.at(-1)?.seq ?? 0 });
    }
    return new Response(null, { status: 204 });
  };
  const api = new ApiClient(fetchFn as typeof fetch);
  api.setSession({ accessToken: 'token-1', tokenType: 'DPoP', expiresIn: 300, user: me });
  let answerPresence = true;
  const chat = new Chat(api, me, {
    proof: async (url, token, nonce) => `proof:${url}:${token}:${nonce}`,
    createSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      s.autoReply = (f) => (answerPresence && f.type === 'presence.set' ? { type: 'ok', re: f.id } : null);
      sockets.push(s);
      return s;
    },
  });
  const socket = () => sockets.at(-1)!;
  async function connect() {
    chat.start();
    await until(() => sockets.length > 0);
    socket().open();
    await vi.advanceTimersByTimeAsync(0);
    socket().ready();
    await vi.advanceTimersByTimeAsync(0);
  }
  const sent = (type: string) => socket().sent.filter((f) => f.type === type);
  const silence = () => {
    answerPresence = false;
  };
  return { chat, requests, socket, sockets, connect, sent, server, silence };
}

/** Lets promises (fake fetches) settle until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !condition(); i++) await vi.advanceTimersByTimeAsync(0);
  expect(condition()).toBe(true);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Chat', () => {
  it('reads rooms and presence and says it is online after each new session', async () => {
    const { chat, requests, connect, sent } = setup();
    await connect();
    expect(requests).toEqual(expect.arrayContaining(['/api/v1/client-config', '/api/v1/rooms', '/api/v1/presence']));
    expect(sent('presence.set')).toEqual([{ type: 'presence.set', status: 'online', id: expect.any(String) }]);
    expect(chat.state.rooms[ROOM].name).toBe('総務課');
    expect(chat.state.presence).toEqual({ '12': 'online' });
    chat.stop();
  });

  it('follows the presence of direct-talk peers and the open room members', async () => {
    const { chat, connect, sent, socket } = setup();
    await connect();
    await vi.advanceTimersByTimeAsync(200);
    // The only room is a group: nobody to follow until it is opened.
    expect(sent('presence.subscribe')).toEqual([{ type: 'presence.subscribe', userIds: [], id: expect.any(String) }]);
    chat.setActiveRoom(ROOM);
    await chat.openRoom(ROOM);
    await vi.advanceTimersByTimeAsync(200);
    const follow = sent('presence.subscribe').at(-1)!;
    expect(follow).toMatchObject({ userIds: ['12'] });
    socket().push({ type: 'presence.state', re: follow.id, statuses: [{ userId: '12', status: 'away' }] });
    expect(chat.state.presence['12']).toBe('away');
    await vi.advanceTimersByTimeAsync(200);
    expect(sent('presence.subscribe')).toHaveLength(2);
    chat.stop();
  });

  it('marks the open room read only while the page is visible', async () => {
    const { chat, connect, sent, socket } = setup();
    await connect();
    await chat.openRoom(ROOM);
    chat.setActiveRoom(ROOM);
    chat.setVisible(false);
    socket().push({ type: 'message.posted', roomId: ROOM, message: msg(4) });
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent('receipt.read')).toEqual([]);
    expect(unreadCount(chat.state.rooms[ROOM])).toBe(1);
    chat.setVisible(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent('receipt.read')).toEqual([{ type: 'receipt.read', roomId: ROOM, seq: 4, id: expect.any(String) }]);
    expect(unreadCount(chat.state.rooms[ROOM])).toBe(0);
    chat.stop();
  });

  it('goes away after a minute hidden and online again when visible', async () => {
    const { chat, connect, sent } = setup();
    await connect();
    // Heartbeats repeat the current status; what matters is how it changes.
    const changes = () => sent('presence.set').map((f) => (f as { status: string }).status)
      .filter((status, i, all) => i === 0 || all[i - 1] !== status);
    chat.setVisible(false);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(changes()).toEqual(['online']);
    await vi.advanceTimersByTimeAsync(1_000);
    chat.setVisible(true);
    expect(changes()).toEqual(['online', 'away', 'online']);
    chat.stop();
  });

  it('checks a quiet connection and makes a new one when it does not answer', async () => {
    const { chat, connect, sent, sockets, silence } = setup();
    await connect();
    await vi.advanceTimersByTimeAsync(50_000);
    expect(sent('presence.set').length).toBe(2);
    expect(sockets).toHaveLength(1);
    silence();
    await vi.advanceTimersByTimeAsync(50_000);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(sockets.length).toBeGreaterThan(1);
    chat.stop();
  });

  it('fills a gap in live messages with message.sync from the last consecutive seq', async () => {
    const { chat, connect, sent, socket } = setup();
    await connect();
    await chat.openRoom(ROOM);
    socket().push({ type: 'message.posted', roomId: ROOM, message: msg(6) });
    expect(sent('message.sync')).toEqual([{ type: 'message.sync', roomId: ROOM, afterSeq: 3, limit: 200, id: expect.any(String) }]);
    const sync = sent('message.sync')[0];
    socket().push({ type: 'message.page', re: sync.id, roomId: ROOM, messages: [msg(4), msg(5), msg(6)], hasMore: false, lastSeq: 6 });
    expect(chat.state.rooms[ROOM].messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    chat.stop();
  });

  it('drops held messages and reads the room again when a sync gets invalid_seq', async () => {
    const { chat, connect, sent, socket, requests } = setup();
    await connect();
    chat.setActiveRoom(ROOM);
    await chat.openRoom(ROOM);
    socket().push({ type: 'message.posted', roomId: ROOM, message: msg(9) });
    const sync = sent('message.sync')[0];
    const before = requests.length;
    socket().push({ type: 'error', re: sync.id, code: 'invalid_seq', message: 'x', messageJa: 'x', retryable: false, detail: null });
    await until(() => requests.slice(before).includes(`/api/v1/rooms/${ROOM}`));
    chat.stop();
  });

  it('shows a send as pending, then the stored message, without a read receipt of its own', async () => {
    const { chat, connect, sent, socket } = setup();
    await connect();
    await chat.openRoom(ROOM);
    chat.setActiveRoom(ROOM);
    chat.send(ROOM, 'お疲れさまです @佐藤', { mentions: ['12'] });
    const frame = sent('message.send')[0];
    expect(frame).toEqual({ type: 'message.send', id: expect.any(String), roomId: ROOM, text: 'お疲れさまです @佐藤', mentions: ['12'] });
    expect(chat.state.rooms[ROOM].pending.map((p) => p.status)).toEqual(['sending']);
    socket().push({ type: 'message.ack', re: frame.id, roomId: ROOM, messageId: '1004', seq: 4, sentAt: '2026-11-26T05:00:00Z', duplicate: false });
    expect(chat.state.rooms[ROOM].pending.map((p) => p.status)).toEqual(['acked']);
    // The server moved our read seq when it stored the message; nothing more to say.
    expect(sent('receipt.read')).not.toContainEqual(expect.objectContaining({ seq: 4 }));
    socket().push({ type: 'message.posted', roomId: ROOM, message: msg(4, { senderId: '11', text: 'お疲れさまです @佐藤' }) });
    expect(chat.state.rooms[ROOM].pending).toEqual([]);
    expect(chat.state.rooms[ROOM].messages.filter((m) => m.text === 'お疲れさまです @佐藤')).toHaveLength(1);
    chat.stop();
  });

  it('reads the open room again after a reconnect, picking up edits and deletions made meanwhile', async () => {
    const { chat, connect, socket, sockets, server } = setup();
    await connect();
    chat.setActiveRoom(ROOM);
    await chat.openRoom(ROOM);
    socket().serverClose(1006);
    server.messages = [msg(1), msg(2, { text: '訂正後', editedAt: '2026-11-26T06:00:00Z' }), msg(3, { text: null, deleted: true }), msg(4)];
    await vi.advanceTimersByTimeAsync(1000);
    await until(() => sockets.length === 2);
    socket().open();
    await vi.advanceTimersByTimeAsync(0);
    socket().ready();
    await until(() => chat.state.rooms[ROOM].messages.length === 4);
    expect(chat.state.rooms[ROOM].messages.map((m) => [m.seq, m.text])).toEqual([[1, 'm1'], [2, '訂正後'], [3, null], [4, 'm4']]);
    chat.stop();
  });

  it('reads the room list again when added to a room it does not know', async () => {
    const { chat, connect, socket, requests } = setup();
    await connect();
    const before = requests.filter((r) => r === '/api/v1/rooms').length;
    socket().push({ type: 'member.joined', roomId: '99', userId: '11', displayName: '山田', role: 'member', by: '12' });
    await until(() => requests.filter((r) => r === '/api/v1/rooms').length === before + 1);
    chat.stop();
  });
});

describe('Chat and POLICY.md', () => {
  const finding = (verdict: 'block' | 'warn', start: number, end: number, excerpt: string) => ({
    detector: 'my_number', class: 'I', verdict, start, end, excerpt, label: 'My Number', labelJa: 'マイナンバー',
  });
  const refuse = (re: string, code: string, findings: unknown[]) => ({
    type: 'error', re, code, message: 'Refused', messageJa: '送信できません', retryable: false, detail: 'My Number ****-****-9018', findings,
  });

  it('takes a blocked send out of the timeline and keeps it, with the findings, for the message box', async () => {
    const { chat, connect, sent, socket } = setup();
    await connect();
    await chat.openRoom(ROOM);
    const id = chat.send(ROOM, 'マイナンバーは 1234 5678 9018 です', { replyTo: msg(3), mentions: ['12'] });
    expect(sent('message.send')[0]).toMatchObject({ id, text: 'マイナンバーは 1234 5678 9018 です' });
    expect(sent('message.send')[0]).not.toHaveProperty('confirmed');
    socket().push(refuse(id, 'content_blocked', [finding('block', 8, 22, '****-****-9018')]));
    await vi.advanceTimersByTimeAsync(0);
    const room = chat.state.rooms[ROOM];
    expect(room.pending).toEqual([]);
    expect(room.messages.map((m) => m.text)).not.toContain('マイナンバーは 1234 5678 9018 です');
    expect(room.refused).toMatchObject({ id, code: 'content_blocked', text: 'マイナンバーは 1234 5678 9018 です', mentions: ['12'],
      replyTo: { messageId: '1003', seq: 3 }, findings: [{ excerpt: '****-****-9018', verdict: 'block' }] });
    chat.dismissRefused(ROOM);
    expect(chat.state.rooms[ROOM].refused).toBeNull();
    chat.stop();
  });

  it('sends a confirmed message again under a new id, once, with the same text, reply and mentions', async () => {
    const { chat, connect, sent, socket, sockets } = setup();
    await connect();
    await chat.openRoom(ROOM);
    const first = chat.send(ROOM, '202610160001', { replyTo: msg(2), mentions: ['12'], held: true });
    expect(chat.state.rooms[ROOM].pending[0]).toMatchObject({ id: first, held: true });
    socket().push(refuse(first, 'confirmation_required', [finding('warn', 0, 12, '****-****-0001')]));
    await vi.advanceTimersByTimeAsync(0);
    expect(chat.state.rooms[ROOM].refused).toMatchObject({ code: 'confirmation_required' });
    const second = chat.confirmRefused(ROOM);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect(sent('message.send').at(-1)).toEqual({
      type: 'message.send', id: second, roomId: ROOM, text: '202610160001', replyTo: '1002', mentions: ['12'], confirmed: true,
    });
    expect(chat.state.rooms[ROOM].refused).toBeNull();
    expect(chat.state.rooms[ROOM].pending.map((p) => [p.id, p.status, p.confirmed, p.held])).toEqual([[second, 'sending', true, undefined]]);
    // Nothing left to confirm: a second press sends nothing.
    expect(chat.confirmRefused(ROOM)).toBeNull();
    // A reconnect sends the confirmed one again (same id), never the refused one.
    socket().serverClose(1006);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sockets).toHaveLength(2);
    socket().open();
    await vi.advanceTimersByTimeAsync(0);
    socket().ready();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent('message.send').map((f) => f.id)).toEqual([second]);
    socket().push({ type: 'message.ack', re: second, roomId: ROOM, messageId: '1004', seq: 4, sentAt: '2026-11-26T05:00:00Z', duplicate: false });
    socket().push({ type: 'message.posted', roomId: ROOM, message: msg(4, { senderId: '11', text: '202610160001' }) });
    expect(chat.state.rooms[ROOM].pending).toEqual([]);
    expect(chat.state.rooms[ROOM].messages.filter((m) => m.text === '202610160001')).toHaveLength(1);
    chat.stop();
  });

  it('keeps other refusals as failed sends to retry', async () => {
    const { chat, connect, socket } = setup();
    await connect();
    await chat.openRoom(ROOM);
    const id = chat.send(ROOM, 'x');
    socket().push({ type: 'error', re: id, code: 'room_archived', message: 'x', messageJa: 'x', retryable: false, detail: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(chat.state.rooms[ROOM].pending[0]).toMatchObject({ id, status: 'failed' });
    expect(chat.state.rooms[ROOM].refused).toBeNull();
    chat.stop();
  });

  it('edits with confirmed, and passes an edit refusal on', async () => {
    const { chat, connect, sent, socket } = setup();
    await connect();
    const editing = chat.edit(ROOM, msg(3), '202610160001', true);
    const frame = sent('message.edit')[0];
    expect(frame).toMatchObject({ roomId: ROOM, messageId: '1003', text: '202610160001', confirmed: true });
    socket().push({ type: 'ok', re: frame.id });
    await editing;
    const blocked = chat.edit(ROOM, msg(3), 'マイナンバーは 1234 5678 9018 です');
    const frame2 = sent('message.edit')[1];
    expect(frame2).not.toHaveProperty('confirmed');
    socket().push(refuse(frame2.id, 'content_blocked', [finding('block', 8, 22, '****-****-9018')]));
    await expect(blocked).rejects.toMatchObject({ code: 'content_blocked' });
    chat.stop();
  });

  it('follows room.policy frames, and ignores a policy it cannot read', async () => {
    const { chat, connect, socket } = setup();
    await connect();
    const policy = {
      ceiling: 'II', ownCeiling: null, orgDefault: 'II', effectiveCeiling: 'I', emergency: {
        state: 'active', reason: '児童の安全確認', hours: 24, requestedBy: '12', requestedByName: '佐藤', requestedAt: '2026-11-26T05:00:00Z',
        approvedBy: '13', approvedByName: '鈴木', approvedAt: '2026-11-26T05:01:00Z', endsAt: '2026-11-27T05:01:00Z',
      },
    };
    socket().push({ type: 'room.policy', roomId: ROOM, policy });
    expect(chat.state.rooms[ROOM].policy).toEqual(policy);
    socket().push({ type: 'room.policy', roomId: ROOM, policy: { ceiling: 'nope' } });
    expect(chat.state.rooms[ROOM].policy).toEqual(policy);
    chat.stop();
  });

  it('applies the policy a change answers', async () => {
    const { chat, connect, requests } = setup();
    await connect();
    await chat.setCeiling(ROOM, 'III');
    expect(requests).toContain(`/api/v1/rooms/${ROOM}/policy`);
    expect(chat.state.rooms[ROOM].policy).toEqual({ ceiling: 'III', ownCeiling: 'III', orgDefault: 'II', effectiveCeiling: 'III', emergency: null });
    chat.stop();
  });
});

describe('gatewayUrl', () => {
  const config = { gatewayUrl: null, gatewayPort: 8081, gatewayPath: '/ws', gatewayTls: false, subprotocols: ['kairan.v1'] };
  it('uses the configured URL, else the page host with the gateway port and path', () => {
    expect(gatewayUrl({ ...config, gatewayUrl: 'wss://chat.example.jp/ws' }, { hostname: 'x' })).toBe('wss://chat.example.jp/ws');
    expect(gatewayUrl(config, { hostname: 'kairan.city.local' })).toBe('ws://kairan.city.local:8081/ws');
    expect(gatewayUrl({ ...config, gatewayTls: true }, { hostname: '[::1]' })).toBe('wss://[::1]:8081/ws');
  });
});

describe('excerpt', () => {
  it('keeps short texts and cuts long ones by characters', () => {
    expect(excerpt('会議室は？')).toBe('会議室は？');
    expect(excerpt(null)).toBeNull();
    expect(excerpt('😀'.repeat(130))).toBe(`${'😀'.repeat(119)}…`);
  });
});
