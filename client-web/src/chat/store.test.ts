import { describe, expect, it } from 'vitest';
import type { Schemas } from '../api/client';
import type { MessageView } from '../gateway/frames';
import {
  contiguousTop, hasGap, initialState, memberJoined, memberLeft, mergeBySeq, messageDeleted, messageEdited,
  messagePosted, pageLoaded, presenceChanged, presenceFollows, presenceLoaded, presenceMerged, reactionChanged, readCount, readMarked,
  receiptUpdated, roomDetailLoaded, roomMessagesReset, roomsLoaded, roomUpdated, sendAcked, sendDiscarded,
  sendFailed, sendStarted, sortedRooms, syncPoints, totalUnread, typingExpired, typingIn, typingStarted,
  unreadCount, unreadMentionCount, type ChatState, type PendingSend, refusalDismissed, roomPolicyChanged, sendRefused,
} from './store';
import type { Finding, RoomPolicy } from '../api/policy';

const ME = '11';
const SATO = '12';
const SUZUKI = '13';
const ROOM = '7';

function msg(seq: number, extra: Partial<MessageView> = {}): MessageView {
  return {
    id: String(1000 + seq), roomId: ROOM, seq, senderId: SATO, senderName: '佐藤', text: `m${seq}`,
    sentAt: new Date(Date.UTC(2026, 10, 26, 5, 0, seq)).toISOString(), editedAt: null, deleted: false, replyTo: null,
    mentions: [], mentionAll: false, reactions: [], ...extra,
  };
}

function summary(extra: Partial<Schemas['RoomSummary']> = {}): Schemas['RoomSummary'] {
  return {
    id: ROOM, kind: 'group', name: '総務課', archived: false, myRole: 'member', memberCount: 3, lastSeq: 10, readSeq: 8,
    unread: 2, unreadMentions: 0, lastMessage: msg(10), peerId: null, ...extra,
  };
}

function detail(extra: Partial<Schemas['RoomDetail']> = {}): Schemas['RoomDetail'] {
  const member = (userId: string, displayName: string, readSeq: number): Schemas['RoomMember'] => ({
    userId, displayName, role: 'member', readSeq, readAt: readSeq ? '2026-11-26T05:00:00Z' : null, joinedAt: '2026-11-01T00:00:00Z',
  });
  return {
    id: ROOM, orgId: '1', kind: 'group', name: '総務課', archived: false, createdAt: '2026-11-01T00:00:00Z', myRole: 'member',
    readOnly: false, lastSeq: 10,
    members: [member(ME, '山田', 8), member(SATO, '佐藤', 10), member(SUZUKI, '鈴木', 5)],
    policy: { ceiling: 'II', ownCeiling: null, orgDefault: 'II', effectiveCeiling: 'II', emergency: null }, ...extra,
  };
}

/** A state holding room 7 with messages `seqs` (summary lastSeq 10, read 8). */
function withMessages(...seqs: number[]): ChatState {
  let state = roomsLoaded(initialState(ME), [summary()]);
  state = pageLoaded(state, { roomId: ROOM, messages: seqs.map((s) => msg(s)), hasMore: true, lastSeq: 10, direction: 'older' });
  return state;
}

const seqs = (state: ChatState) => state.rooms[ROOM].messages.map((m) => m.seq);

describe('merging messages', () => {
  it('keeps one message per seq, in order, whatever way they arrive', () => {
    expect(mergeBySeq([msg(3), msg(4)], [msg(2), msg(4), msg(5), msg(1)]).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(mergeBySeq([msg(3)], [msg(5), msg(4)]).map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(mergeBySeq([msg(3)], [msg(3, { text: 'newer copy' })])[0].text).toBe('newer copy');
  });

  it('never shows a message twice when a live post, a sync page and a history page overlap', () => {
    let state = withMessages(6, 7, 8, 9, 10);
    state = messagePosted(state, msg(11)).state;
    state = pageLoaded(state, { roomId: ROOM, messages: [msg(10), msg(11), msg(12)], hasMore: false, lastSeq: 12, direction: 'newer' });
    state = messagePosted(state, msg(12)).state;
    state = pageLoaded(state, { roomId: ROOM, messages: [msg(4), msg(5), msg(6)], hasMore: true, lastSeq: 12, direction: 'older' });
    expect(seqs(state)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(state.rooms[ROOM].syncedSeq).toBe(12);
    expect(state.rooms[ROOM].lastSeq).toBe(12);
  });

  it('finds the consecutive top from the oldest held message', () => {
    expect(contiguousTop([])).toBe(0);
    expect(contiguousTop([msg(4), msg(5), msg(7)])).toBe(5);
    expect(contiguousTop([msg(9)])).toBe(9);
  });
});

describe('gaps', () => {
  it('reports a gap when a live message skips seqs, and keeps the sync point below it', () => {
    let state = withMessages(8, 9, 10);
    const next = messagePosted(state, msg(11));
    expect(next.gap).toBe(false);
    const skipped = messagePosted(next.state, msg(14));
    expect(skipped.gap).toBe(true);
    state = skipped.state;
    expect(seqs(state)).toEqual([8, 9, 10, 11, 14]);
    expect(hasGap(state.rooms[ROOM])).toBe(true);
    expect(syncPoints(state)).toEqual([{ roomId: ROOM, afterSeq: 11 }]);

    state = pageLoaded(state, { roomId: ROOM, messages: [msg(12), msg(13), msg(14)], hasMore: false, lastSeq: 14, direction: 'newer' });
    expect(hasGap(state.rooms[ROOM])).toBe(false);
    expect(syncPoints(state)).toEqual([{ roomId: ROOM, afterSeq: 14 }]);
  });

  it('sees no gap in a room that holds nothing yet, and does not sync it', () => {
    const state = roomsLoaded(initialState(ME), [summary()]);
    const posted = messagePosted(state, msg(15));
    expect(posted.gap).toBe(false);
    expect(posted.state.rooms[ROOM].lastSeq).toBe(15);
    expect(syncPoints(state)).toEqual([]);
  });

  it('forgets held messages after invalid_seq', () => {
    const state = roomMessagesReset(withMessages(8, 9), ROOM);
    expect(state.rooms[ROOM].messages).toEqual([]);
    expect(state.rooms[ROOM].syncedSeq).toBe(0);
    expect(syncPoints(state)).toEqual([]);
  });

  it('knows when the start of the room is reached', () => {
    expect(withMessages(8, 9).rooms[ROOM].reachedStart).toBe(false);
    let state = pageLoaded(withMessages(8, 9), { roomId: ROOM, messages: [msg(5)], hasMore: false, lastSeq: 10, direction: 'older' });
    expect(state.rooms[ROOM].reachedStart).toBe(true);
    state = withMessages(1, 2);
    expect(state.rooms[ROOM].reachedStart).toBe(true);
  });
});

describe('edits, deletions and reactions', () => {
  it('applies them to held messages and to the room list excerpt', () => {
    let state = withMessages(9, 10);
    state = messageEdited(state, { type: 'message.edited', roomId: ROOM, messageId: '1010', seq: 10, text: '訂正', editedAt: '2026-11-26T06:00:00Z' });
    expect(state.rooms[ROOM].messages[1]).toMatchObject({ text: '訂正', editedAt: '2026-11-26T06:00:00Z' });
    expect(state.rooms[ROOM].lastMessage?.text).toBe('訂正');
    state = messageDeleted(state, { type: 'message.deleted', roomId: ROOM, messageId: '1009', seq: 9, deletedAt: '2026-11-26T06:00:00Z' });
    expect(state.rooms[ROOM].messages[0]).toMatchObject({ text: null, deleted: true });
  });

  it('adds and removes reactions per user, dropping empty ones', () => {
    const change = (userId: string, emoji: string, added: boolean) =>
      ({ type: 'reaction.changed' as const, roomId: ROOM, messageId: '1010', seq: 10, emoji, userId, added });
    let state = withMessages(10);
    state = reactionChanged(state, change(ME, '👍', true));
    state = reactionChanged(state, change(SATO, '👍', true));
    state = reactionChanged(state, change(SATO, '👍', true));
    state = reactionChanged(state, change(SATO, '🙏', true));
    expect(state.rooms[ROOM].messages[0].reactions).toEqual([
      { emoji: '👍', userIds: [ME, SATO] }, { emoji: '🙏', userIds: [SATO] },
    ]);
    state = reactionChanged(state, change(SATO, '🙏', false));
    state = reactionChanged(state, change(ME, '👍', false));
    expect(state.rooms[ROOM].messages[0].reactions).toEqual([{ emoji: '👍', userIds: [SATO] }]);
  });

  it('ignores events for messages it does not hold', () => {
    const state = withMessages(10);
    expect(messageEdited(state, { type: 'message.edited', roomId: ROOM, messageId: '1', seq: 3, text: 'x', editedAt: 'x' })).toBe(state);
    expect(messageEdited(state, { type: 'message.edited', roomId: '99', messageId: '1', seq: 3, text: 'x', editedAt: 'x' })).toBe(state);
  });
});

describe('read receipts', () => {
  it('counts 既読 as members other than the sender who have read up to the message', () => {
    let state = roomDetailLoaded(withMessages(5, 8, 10), detail());
    const room = () => state.rooms[ROOM];
    const mine = (seq: number) => ({ seq, senderId: ME });
    expect(readCount(room(), mine(5))).toBe(2);
    expect(readCount(room(), mine(8))).toBe(1);
    expect(readCount(room(), mine(10))).toBe(1);
    expect(readCount(room(), msg(10))).toBe(0);
    state = receiptUpdated(state, { type: 'receipt.updated', roomId: ROOM, userId: SUZUKI, seq: 10, readAt: '2026-11-26T07:00:00Z' });
    expect(readCount(room(), mine(10))).toBe(2);
    // never backwards
    state = receiptUpdated(state, { type: 'receipt.updated', roomId: ROOM, userId: SUZUKI, seq: 2, readAt: '2026-11-26T07:01:00Z' });
    expect(room().members?.find((m) => m.userId === SUZUKI)).toMatchObject({ readSeq: 10, readAt: '2026-11-26T07:00:00Z' });
  });

  it('counts a member who posts as having read up to their message', () => {
    let state = roomDetailLoaded(withMessages(5, 8, 10), detail());
    const room = () => state.rooms[ROOM];
    expect(readCount(room(), { seq: 10, senderId: ME })).toBe(1);
    state = messagePosted(state, msg(11, { senderId: SUZUKI, senderName: '鈴木' })).state;
    expect(readCount(room(), { seq: 10, senderId: ME })).toBe(2);
    expect(room().members?.find((m) => m.userId === SUZUKI)?.readSeq).toBe(11);
  });

  it('has no 既読 count before the members are known', () => {
    expect(readCount(withMessages(10).rooms[ROOM], { seq: 10, senderId: ME })).toBeNull();
  });

  it('keeps a receipt that arrived before the room detail', () => {
    let state = roomDetailLoaded(withMessages(10), detail());
    state = receiptUpdated(state, { type: 'receipt.updated', roomId: ROOM, userId: SUZUKI, seq: 9, readAt: '2026-11-26T07:00:00Z' });
    state = roomDetailLoaded(state, detail());
    expect(state.rooms[ROOM].members?.find((m) => m.userId === SUZUKI)?.readSeq).toBe(9);
  });
});

describe('unread counts', () => {
  it('is the last seq minus the caller read seq, and follows posts and reads', () => {
    let state = withMessages(9, 10);
    expect(unreadCount(state.rooms[ROOM])).toBe(2);
    state = messagePosted(state, msg(11)).state;
    expect(unreadCount(state.rooms[ROOM])).toBe(3);
    state = readMarked(state, ROOM, 11, '2026-11-26T07:00:00Z');
    expect(unreadCount(state.rooms[ROOM])).toBe(0);
    state = messagePosted(state, msg(12)).state;
    state = receiptUpdated(state, { type: 'receipt.updated', roomId: ROOM, userId: ME, seq: 12, readAt: '2026-11-26T07:00:00Z' });
    expect(unreadCount(state.rooms[ROOM])).toBe(0);
  });

  it('treats the caller own message as read', () => {
    const state = messagePosted(withMessages(9, 10), msg(11, { senderId: ME })).state;
    expect(unreadCount(state.rooms[ROOM])).toBe(0);
  });

  it('sums unread over rooms and ignores rooms the caller only reads as owner', () => {
    let state = roomsLoaded(initialState(ME), [summary(), summary({ id: '8', lastSeq: 4, readSeq: 1, lastMessage: null })]);
    state = roomDetailLoaded(state, detail({ id: '9', myRole: null, readOnly: true, lastSeq: 50, members: [] }));
    expect(totalUnread(state)).toBe(5);
    expect(sortedRooms(state).map((r) => r.id)).toEqual([ROOM, '8']);
  });

  it('counts unread mentions from the room list, then from live messages', () => {
    let state = roomsLoaded(initialState(ME), [summary({ unreadMentions: 1 })]);
    expect(unreadMentionCount(state.rooms[ROOM], ME)).toBe(1);
    state = messagePosted(state, msg(11, { mentions: [ME] })).state;
    state = messagePosted(state, msg(12, { mentionAll: true })).state;
    state = messagePosted(state, msg(13, { mentions: [SUZUKI] })).state;
    state = messagePosted(state, msg(14, { senderId: ME, mentionAll: true })).state;
    expect(unreadMentionCount(state.rooms[ROOM], ME)).toBe(0);
    state = roomsLoaded(initialState(ME), [summary({ unreadMentions: 1 })]);
    state = messagePosted(state, msg(11, { mentions: [ME] })).state;
    state = messagePosted(state, msg(12, { mentionAll: true })).state;
    state = messagePosted(state, msg(13, { mentions: [SUZUKI] })).state;
    expect(unreadMentionCount(state.rooms[ROOM], ME)).toBe(3);
    state = readMarked(state, ROOM, 13, '2026-11-26T07:00:00Z');
    expect(unreadMentionCount(state.rooms[ROOM], ME)).toBe(0);
  });
});

describe('pending sends', () => {
  const pending: PendingSend = {
    id: 'uuid-1', roomId: ROOM, text: 'お疲れさまです', replyTo: null, mentions: [], mentionAll: false,
    createdAt: '2026-11-26T05:00:30Z', status: 'sending',
  };
  const ack = { type: 'message.ack' as const, re: 'uuid-1', roomId: ROOM, messageId: '1011', seq: 11, sentAt: '2026-11-26T05:00:31Z', duplicate: false };

  it('shows a send until the acknowledged message itself arrives', () => {
    let state = sendStarted(withMessages(10), pending);
    expect(state.rooms[ROOM].pending).toEqual([pending]);
    state = sendAcked(state, ack);
    expect(state.rooms[ROOM].pending).toEqual([{ ...pending, status: 'acked', seq: 11 }]);
    expect(state.rooms[ROOM].readSeq).toBe(11);
    state = messagePosted(state, msg(11, { senderId: ME, text: 'お疲れさまです' })).state;
    expect(state.rooms[ROOM].pending).toEqual([]);
    expect(seqs(state)).toEqual([10, 11]);
  });

  it('drops the send at once when the message arrived before the ack', () => {
    let state = sendStarted(withMessages(10), pending);
    state = messagePosted(state, msg(11, { senderId: ME })).state;
    state = sendAcked(state, ack);
    expect(state.rooms[ROOM].pending).toEqual([]);
  });

  it('marks a refused send failed, and discards it on request', () => {
    let state = sendStarted(withMessages(10), pending);
    state = sendFailed(state, ROOM, 'uuid-1', 'room_archived');
    expect(state.rooms[ROOM].pending[0]).toMatchObject({ status: 'failed', error: 'room_archived' });
    state = sendDiscarded(state, ROOM, 'uuid-1');
    expect(state.rooms[ROOM].pending).toEqual([]);
  });
});

describe('sends refused for their content (POLICY.md)', () => {
  const text = 'マイナンバーは 1234 5678 9018 です';
  const pending: PendingSend = {
    id: 'uuid-1', roomId: ROOM, text, replyTo: { messageId: '1010', seq: 10, senderId: SATO, excerpt: 'm10' },
    mentions: [SATO], mentionAll: false, createdAt: '2026-11-26T05:00:30Z', status: 'sending',
  };
  const finding: Finding = {
    detector: 'my_number', class: 'I', verdict: 'block', start: 8, end: 22, excerpt: '****-****-9018', label: 'My Number', labelJa: 'マイナンバー',
  };

  it('takes a blocked send out of the timeline at once and keeps it, with its findings, as the room refusal', () => {
    let state = sendStarted(withMessages(10), pending);
    state = sendRefused(state, ROOM, 'uuid-1', 'content_blocked', [finding]);
    expect(state.rooms[ROOM].pending).toEqual([]);
    expect(seqs(state)).toEqual([10]);
    expect(state.rooms[ROOM].refused).toEqual({
      id: 'uuid-1', code: 'content_blocked', text, replyTo: pending.replyTo, mentions: [SATO], mentionAll: false, findings: [finding],
    });
  });

  it('ignores a refusal for a send it does not hold', () => {
    const state = withMessages(10);
    expect(sendRefused(state, ROOM, 'nope', 'content_blocked', [])).toBe(state);
  });

  it('replaces the refusal with the next send, and forgets it when dismissed (only its own)', () => {
    let state = sendRefused(sendStarted(withMessages(10), pending), ROOM, 'uuid-1', 'confirmation_required', [{ ...finding, verdict: 'warn' }]);
    expect(refusalDismissed(state, ROOM, 'other').rooms[ROOM].refused).not.toBeNull();
    expect(refusalDismissed(state, ROOM, 'uuid-1').rooms[ROOM].refused).toBeNull();
    state = sendStarted(state, { ...pending, id: 'uuid-2', confirmed: true });
    expect(state.rooms[ROOM].refused).toBeNull();
    expect(state.rooms[ROOM].pending.map((p) => [p.id, p.confirmed])).toEqual([['uuid-2', true]]);
  });

  it('shows a held send that failed for another reason in the timeline, to send again', () => {
    let state = sendStarted(withMessages(10), { ...pending, held: true });
    state = sendFailed(state, ROOM, 'uuid-1', 'room_archived');
    expect(state.rooms[ROOM].pending[0]).toMatchObject({ status: 'failed', held: false });
  });

  it('takes the room policy from the detail and from room.policy', () => {
    const policy: RoomPolicy = { ceiling: 'III', ownCeiling: 'III', orgDefault: 'II', effectiveCeiling: 'III', emergency: null };
    let state = withMessages(10);
    expect(state.rooms[ROOM].policy).toBeNull();
    state = roomDetailLoaded(state, detail({ policy }));
    expect(state.rooms[ROOM].policy).toEqual(policy);
    // A detail without a readable policy keeps the one known.
    state = roomDetailLoaded(state, { ...detail(), policy: undefined } as unknown as Schemas['RoomDetail']);
    expect(state.rooms[ROOM].policy).toEqual(policy);
    const lifted: RoomPolicy = { ...policy, effectiveCeiling: 'I', emergency: {
      state: 'active', reason: '児童の安全確認', hours: 24, requestedBy: ME, requestedByName: '山田', requestedAt: '2026-11-26T05:00:00Z',
      approvedBy: SATO, approvedByName: '佐藤', approvedAt: '2026-11-26T05:01:00Z', endsAt: '2026-11-27T05:01:00Z',
    } };
    state = roomPolicyChanged(state, ROOM, lifted);
    expect(state.rooms[ROOM].policy).toEqual(lifted);
    expect(roomPolicyChanged(state, 'unknown', policy)).toBe(state);
  });
});

describe('rooms, members, presence and typing', () => {
  it('sorts rooms by newest activity, the server order breaking ties', () => {
    let state = roomsLoaded(initialState(ME), [
      summary({ id: '1', lastMessage: msg(3) }), summary({ id: '2', lastMessage: null }), summary({ id: '3', lastMessage: null }),
    ]);
    expect(sortedRooms(state).map((r) => r.id)).toEqual(['1', '2', '3']);
    state = messagePosted(state, msg(20, { roomId: '3' })).state;
    expect(sortedRooms(state).map((r) => r.id)).toEqual(['3', '1', '2']);
  });

  it('keeps held messages when the room list is read again, and drops rooms left', () => {
    let state = withMessages(9, 10);
    state = roomsLoaded(state, [summary({ name: '総務課（新）', lastSeq: 12 })]);
    expect(seqs(state)).toEqual([9, 10]);
    expect(state.rooms[ROOM]).toMatchObject({ name: '総務課（新）', lastSeq: 12 });
    expect(roomsLoaded(state, []).rooms).toEqual({});
  });

  it('renames and archives on room.updated', () => {
    const state = roomUpdated(withMessages(10), { type: 'room.updated', roomId: ROOM, name: '庶務', archived: true, by: SATO });
    expect(state.rooms[ROOM]).toMatchObject({ name: '庶務', archived: true });
  });

  it('adds and removes members, and drops the room when the caller leaves', () => {
    let state = roomDetailLoaded(withMessages(10), detail());
    const joined = memberJoined(state, { type: 'member.joined', roomId: ROOM, userId: '14', displayName: '田中', role: 'member', by: SATO });
    expect(joined.unknownRoom).toBe(false);
    state = joined.state;
    expect(state.rooms[ROOM].members?.map((m) => m.userId)).toEqual([ME, SATO, SUZUKI, '14']);
    expect(state.rooms[ROOM].memberCount).toBe(4);
    state = memberLeft(state, ROOM, SUZUKI);
    expect(state.rooms[ROOM].members?.map((m) => m.userId)).toEqual([ME, SATO, '14']);
    expect(memberJoined(state, { type: 'member.joined', roomId: '99', userId: ME, displayName: '山田', role: 'member', by: SATO }).unknownRoom)
      .toBe(true);
    expect(memberLeft(state, ROOM, ME).rooms[ROOM]).toBeUndefined();
  });

  it('takes the peer of a direct talk from its members', () => {
    const state = roomDetailLoaded(initialState(ME), detail({ kind: 'direct', name: '佐藤', members: detail().members.slice(0, 2) }));
    expect(state.rooms[ROOM]).toMatchObject({ peerId: SATO, member: true, memberCount: 2 });
  });

  it('follows direct-talk peers and the open room members, never the caller', () => {
    let state = roomsLoaded(initialState(ME), [summary(), summary({ id: '8', kind: 'direct', peerId: '20', name: '高橋' })]);
    expect(presenceFollows(state, null)).toEqual(['20']);
    state = roomDetailLoaded(state, detail());
    expect(presenceFollows(state, ROOM)).toEqual([SATO, SUZUKI, '20']);
  });

  it('merges presence.state', () => {
    const state = presenceMerged(presenceLoaded(initialState(ME), [{ userId: SATO, status: 'online' }]),
      [{ userId: SATO, status: 'offline' }, { userId: SUZUKI, status: 'away' }]);
    expect(state.presence).toEqual({ [SUZUKI]: 'away' });
  });

  it('tracks presence; offline users are dropped', () => {
    let state = presenceLoaded(initialState(ME), [{ userId: SATO, status: 'online' }, { userId: SUZUKI, status: 'away' }]);
    state = presenceChanged(state, SATO, 'offline');
    state = presenceChanged(state, SUZUKI, 'online');
    expect(state.presence).toEqual({ [SUZUKI]: 'online' });
  });

  it('shows typing for five seconds, never the caller own', () => {
    let state = withMessages(10);
    state = typingStarted(state, ROOM, SATO, 1_000);
    state = typingStarted(state, ROOM, ME, 1_000);
    expect(typingIn(state, ROOM, 5_999)).toEqual([SATO]);
    expect(typingIn(state, ROOM, 6_000)).toEqual([]);
    state = typingExpired(state, 6_000);
    expect(state.typing).toEqual({});
    state = typingStarted(state, ROOM, SATO, 10_000);
    expect(typingExpired(state, 10_001, ROOM, SATO).typing).toEqual({});
  });
});
