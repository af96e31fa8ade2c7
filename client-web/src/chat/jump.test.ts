import { describe, expect, it } from 'vitest';
import { ApiClient, type Schemas } from '../api/client';
import type { MessageView } from '../gateway/frames';
import { Chat } from './chat';
import { JUMP_CONTEXT, JUMP_FILL_MAX, jumpStep } from './jump';
import { contiguousTop } from './store';

const ROOM = '7';
const me: Schemas['Me'] = {
  id: '11', loginId: 'yamada', displayName: '山田', orgId: '1', orgName: '架空市', departmentId: null, email: null,
  roles: ['member'], totpEnrolled: true,
};

function msg(seq: number): MessageView {
  return {
    id: String(1000 + seq), roomId: ROOM, seq, senderId: '12', senderName: '佐藤', text: `m${seq}`, sentAt: '2026-11-26T05:00:00Z',
    editedAt: null, deleted: false, replyTo: null, mentions: [], mentionAll: false, reactions: [],
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));

/** What a room holds, as jumpStep sees it. */
function held(messages: MessageView[], extra: { reachedStart?: boolean; lastSeq?: number } = {}) {
  return {
    messages, syncedSeq: contiguousTop(messages), reachedStart: extra.reachedStart ?? false,
    lastSeq: extra.lastSeq ?? messages.at(-1)?.seq ?? 0,
  };
}

describe('jumpStep', () => {
  it('scrolls when the message is held', () => {
    expect(jumpStep(held(range(251, 300)), 260)).toEqual({ kind: 'held' });
  });

  it('reads older history down to the message and some before it, keeping the held run consecutive', () => {
    expect(jumpStep(held(range(251, 300)), 200)).toEqual({ kind: 'older', beforeSeq: 251, limit: 51 + JUMP_CONTEXT });
    // One page is at most 500: the rest comes with the next step.
    expect(jumpStep(held(range(1901, 1950)), 1001)).toEqual({ kind: 'older', beforeSeq: 1901, limit: 500 });
  });

  it('reads a window around a message farther away than the fill limit', () => {
    const far = 4951 - JUMP_FILL_MAX - 1;
    expect(jumpStep(held(range(4951, 5000)), far)).toEqual({ kind: 'window', afterSeq: far - JUMP_CONTEXT - 1, limit: 2 * JUMP_CONTEXT + 1 });
    expect(jumpStep(held([], { lastSeq: 10 }), 3)).toEqual({ kind: 'window', afterSeq: 0, limit: 2 * JUMP_CONTEXT + 1 });
  });

  it('reads newer history when the message lies above the held run', () => {
    expect(jumpStep(held(range(1, 50), { lastSeq: 400 }), 120)).toEqual({ kind: 'newer', afterSeq: 50, limit: 70 + JUMP_CONTEXT });
    // Held with a gap: the run ends at 50, so the gap is read from there.
    expect(jumpStep(held([...range(1, 50), ...range(80, 90)]), 85)).toEqual({ kind: 'held' });
    expect(jumpStep(held([...range(1, 50), ...range(80, 90)]), 60)).toEqual({ kind: 'newer', afterSeq: 50, limit: 10 + JUMP_CONTEXT });
  });

  it('gives up on messages that cannot be there', () => {
    expect(jumpStep(held(range(1, 50)), 51)).toEqual({ kind: 'missing' });
    expect(jumpStep(held(range(40, 50), { reachedStart: true }), 10)).toEqual({ kind: 'missing' });
    // Every seq of the run is held, so one not held within it is gone.
    expect(jumpStep(held([...range(1, 9), ...range(11, 20)].filter((m) => m.seq !== 10)), 10).kind).not.toBe('held');
  });
});

/**
 * A Chat over a fake messages API (`beforeSeq`/`afterSeq`/`limit` as the OpenAPI document describes it) of a room
 * with `count` messages, less those in `gone`. No gateway: only HTTP is used here.
 */
function setup(count: number, gone: number[] = []) {
  const requests: string[] = [];
  const all = range(1, count).filter((m) => !gone.includes(m.seq));
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const detail: Schemas['RoomDetail'] = {
    id: ROOM, orgId: '1', kind: 'group', name: '防災課', archived: false, createdAt: '2026-11-01T00:00:00Z', myRole: 'member',
    readOnly: false, lastSeq: count, members: [
      { userId: '11', displayName: '山田', role: 'member', readSeq: count, readAt: null, joinedAt: '2026-11-01T00:00:00Z' },
    ],
    policy: { ceiling: 'II', ownCeiling: null, orgDefault: 'II', effectiveCeiling: 'II', emergency: null },
  };
  const fetchFn = async (input: RequestInfo | URL) => {
    const u = new URL(String(input), 'http://x');
    requests.push(u.pathname + u.search);
    if (u.pathname === `/api/v1/rooms/${ROOM}`) return json(detail);
    if (u.pathname === `/api/v1/rooms/${ROOM}/messages`) {
      const p = u.searchParams;
      const limit = Number(p.get('limit') ?? 100);
      let messages: MessageView[];
      let hasMore: boolean;
      if (p.has('afterSeq')) {
        const after = Number(p.get('afterSeq'));
        if (after > count) return json({ code: 'invalid_seq', message: 'beyond', messageJa: '範囲外', requestId: null, field: null }, 400);
        const newer = all.filter((m) => m.seq > after);
        messages = newer.slice(0, limit);
        hasMore = newer.length > limit;
      } else {
        const before = p.has('beforeSeq') ? Number(p.get('beforeSeq')) : Infinity;
        const older = all.filter((m) => m.seq < before);
        messages = older.slice(-limit);
        hasMore = older.length > limit;
      }
      return json({ roomId: ROOM, messages, hasMore, lastSeq: count });
    }
    return new Response(null, { status: 404 });
  };
  const api = new ApiClient(fetchFn as typeof fetch);
  api.setSession({ accessToken: 'token-1', tokenType: 'DPoP', expiresIn: 300, user: me });
  const chat = new Chat(api, me);
  const seqs = () => chat.state.rooms[ROOM].messages.map((m) => m.seq);
  const messageRequests = () => requests.filter((r) => r.includes('/messages'));
  return { chat, requests, seqs, messageRequests };
}

describe('Chat.openAt', () => {
  it('finds a message of the newest page without reading more', async () => {
    const { chat, messageRequests } = setup(300);
    await chat.openRoom(ROOM);
    expect(await chat.openAt(ROOM, 280)).toEqual({ found: true, window: false });
    expect(messageRequests()).toEqual([`/api/v1/rooms/${ROOM}/messages?limit=50`]);
  });

  it('reads back to an older message, holding one consecutive run with context before it', async () => {
    const { chat, seqs, messageRequests } = setup(300);
    await chat.openRoom(ROOM);
    expect(await chat.openAt(ROOM, 100)).toEqual({ found: true, window: false });
    expect(messageRequests().slice(1)).toEqual([`/api/v1/rooms/${ROOM}/messages?beforeSeq=251&limit=176`]);
    expect(seqs()).toEqual(range(75, 300).map((m) => m.seq));
    expect(chat.state.rooms[ROOM].syncedSeq).toBe(300);
  });

  it('reads a window around a message far back, which newer pages then extend', async () => {
    const { chat, seqs, messageRequests } = setup(10_000);
    await chat.openRoom(ROOM);
    expect(await chat.openAt(ROOM, 1000)).toEqual({ found: true, window: true });
    expect(messageRequests().slice(1)).toEqual([`/api/v1/rooms/${ROOM}/messages?afterSeq=974&limit=51`]);
    expect(seqs()).toEqual(range(975, 1025).map((m) => m.seq));
    const room = chat.state.rooms[ROOM];
    expect([room.syncedSeq, room.lastSeq, room.reachedStart]).toEqual([1025, 10_000, false]);
    await chat.loadNewer(ROOM);
    expect(seqs().at(-1)).toBe(1075);
    await chat.loadOlder(ROOM);
    expect(seqs()[0]).toBe(925);
  });

  it('reaches the start of the room with a window at its first messages', async () => {
    const { chat, seqs } = setup(5000);
    await chat.openRoom(ROOM);
    expect(await chat.openAt(ROOM, 3)).toEqual({ found: true, window: true });
    expect(seqs()).toEqual(range(1, 51).map((m) => m.seq));
    expect(chat.state.rooms[ROOM].reachedStart).toBe(true);
  });

  it('says not found for a message purged meanwhile, after a bounded number of reads', async () => {
    const { chat, messageRequests } = setup(300, [200]);
    await chat.openRoom(ROOM);
    expect(await chat.openAt(ROOM, 200)).toEqual({ found: false, window: false });
    expect(messageRequests().length).toBeLessThanOrEqual(3);
  });

  it('says not found beyond the room, or for a room it cannot read, without asking', async () => {
    const { chat, messageRequests } = setup(30);
    await chat.openRoom(ROOM);
    expect(await chat.openAt(ROOM, 31)).toEqual({ found: false, window: false });
    expect(await chat.openAt('999', 1)).toEqual({ found: false, window: false });
    expect(messageRequests()).toEqual([`/api/v1/rooms/${ROOM}/messages?limit=50`]);
  });
});
