/**
 * The chat state as pure functions: every change takes a state and returns a new one (the old one is never
 * modified), so the UI can compare by reference and tests need no mocks.
 *
 * Messages are held per room, sorted and unique by `seq`: live `message.posted` events, `message.sync` pages
 * and history pages are merged by seq, so nothing is shown twice. A room's `syncedSeq` is the top of the run
 * of consecutive seqs held from the oldest held message; a message beyond `syncedSeq + 1` reveals a gap,
 * which the caller fills with `message.sync` from `syncedSeq`.
 */
import type { Schemas } from '../api/client';
import { parseRoomPolicy, type Finding, type PolicyCode, type RoomPolicy } from '../api/policy';
import type {
  MemberJoined, MessageAck, MessageDeleted, MessageEdited, MessageView, PresenceStatus, ReactionChanged,
  ReceiptUpdated, ReplyRef, RoomUpdated,
} from '../gateway/frames';

type RoomSummary = Schemas['RoomSummary'];
type RoomDetail = Schemas['RoomDetail'];
export type RoomRole = Schemas['RoomRole'];

export interface Member {
  userId: string;
  displayName: string;
  role: RoomRole;
  readSeq: number;
  readAt: string | null;
}

/** A message typed here and not yet stored by the server (`sending`), stored (`acked`) or refused (`failed`). */
export interface PendingSend {
  /** The request id, also the idempotency key. */
  id: string;
  roomId: string;
  text: string;
  replyTo: ReplyRef | null;
  mentions: string[];
  mentionAll: boolean;
  createdAt: string;
  status: 'sending' | 'acked' | 'failed';
  seq?: number;
  error?: unknown;
  /** Sent with `confirmed: true` after the sender confirmed a warning (POLICY.md). */
  confirmed?: boolean;
  /**
   * Held in the message box rather than shown in the timeline: the draft check said it would be refused, so the
   * box keeps the text until the server answers (never cleared for a message that is not sent).
   */
  held?: boolean;
}

/**
 * A send the server refused for its content (`content_blocked`, `confirmation_required`): nothing was stored and
 * it left the timeline; the message box shows it again, with the findings, until the sender sends again or
 * gives up.
 */
export interface RefusedSend {
  /** The request id of the refused send. */
  id: string;
  code: PolicyCode;
  text: string;
  replyTo: ReplyRef | null;
  mentions: string[];
  mentionAll: boolean;
  findings: Finding[];
}

export interface RoomState {
  id: string;
  kind: 'group' | 'direct';
  name: string;
  archived: boolean;
  /** The caller's role; null when an org owner reads a room they are not a member of. */
  myRole: RoomRole | null;
  /** Whether the room is one of the caller's (shown in the room list, live over the gateway). */
  member: boolean;
  memberCount: number;
  peerId: string | null;
  /** The newest seq the room is known to have. */
  lastSeq: number;
  /** The caller's read seq. */
  readSeq: number;
  /** The newest message known, for the room list. */
  lastMessage: MessageView | null;
  /** When the room was last active (newest message, or creation), for sorting. */
  activityAt: string;
  /** The server's order of `GET /rooms` (newest activity first), to break ties. */
  listIndex: number;
  /** Held messages, sorted by seq, unique. */
  messages: MessageView[];
  /** Every seq from the oldest held message up to this one is held; 0 when none is. */
  syncedSeq: number;
  /** No older messages exist than the oldest held. */
  reachedStart: boolean;
  /** Members, once the room's detail was read; null before. */
  members: Member[] | null;
  pending: PendingSend[];
  /** Unread mentions as `GET /rooms` counted them, valid while `readSeq` stays at `readSeq`. */
  mentionBase: { readSeq: number; lastSeq: number; count: number };
  /** The room's ceiling and emergency (POLICY.md), once its detail or a `room.policy` frame was read. */
  policy: RoomPolicy | null;
  /** The last send refused for its content, until sent again or dismissed. */
  refused: RefusedSend | null;
}

export interface ChatState {
  /** The signed-in user's id. */
  me: string;
  rooms: Record<string, RoomState>;
  /** Users not listed are offline. */
  presence: Record<string, PresenceStatus>;
  /** Who is typing where: room id → user id → when it stops showing (ms). */
  typing: Record<string, Record<string, number>>;
}

export function initialState(me: string): ChatState {
  return { me, rooms: {}, presence: {}, typing: {} };
}

// ---- rooms -----------------------------------------------------------------------------------------------

function emptyRoom(id: string): RoomState {
  return {
    id, kind: 'group', name: '', archived: false, myRole: null, member: false, memberCount: 0, peerId: null,
    lastSeq: 0, readSeq: 0, lastMessage: null, activityAt: '', listIndex: Number.MAX_SAFE_INTEGER, messages: [],
    syncedSeq: 0, reachedStart: false, members: null, pending: [], mentionBase: { readSeq: 0, lastSeq: 0, count: 0 },
    policy: null, refused: null,
  };
}

function newer(a: MessageView | null, b: MessageView | null): MessageView | null {
  if (!a) return b;
  if (!b) return a;
  return b.seq >= a.seq ? b : a;
}

function withRoom(state: ChatState, roomId: string, change: (room: RoomState) => RoomState): ChatState {
  const room = state.rooms[roomId];
  if (!room) return state;
  const next = change(room);
  return next === room ? state : { ...state, rooms: { ...state.rooms, [roomId]: next } };
}

/**
 * The caller's rooms from `GET /api/v1/rooms`. Rooms no longer listed are dropped (the caller left them);
 * held messages, members and pending sends of the others stay.
 */
export function roomsLoaded(state: ChatState, summaries: RoomSummary[]): ChatState {
  const rooms: Record<string, RoomState> = {};
  summaries.forEach((s, index) => {
    const old = state.rooms[s.id] ?? emptyRoom(s.id);
    const lastMessage = newer(old.lastMessage, s.lastMessage);
    rooms[s.id] = {
      ...old,
      kind: s.kind, name: s.name, archived: s.archived, myRole: s.myRole, member: true, memberCount: s.memberCount,
      peerId: s.peerId, lastSeq: Math.max(old.lastSeq, s.lastSeq), readSeq: Math.max(old.readSeq, s.readSeq),
      lastMessage, activityAt: maxTime(old.activityAt, lastMessage?.sentAt ?? ''), listIndex: index,
      mentionBase: { readSeq: s.readSeq, lastSeq: s.lastSeq, count: s.unreadMentions },
    };
  });
  for (const old of Object.values(state.rooms)) {
    if (!rooms[old.id] && !old.member) rooms[old.id] = old;
  }
  return { ...state, rooms };
}

/** A room's detail (`GET /rooms/{id}`, or the answer to creating or changing it). */
export function roomDetailLoaded(state: ChatState, d: RoomDetail): ChatState {
  const old = state.rooms[d.id] ?? { ...emptyRoom(d.id), activityAt: d.createdAt };
  const mine = d.members.find((m) => m.userId === state.me);
  const room: RoomState = {
    ...old,
    kind: d.kind, name: d.name, archived: d.archived, myRole: d.myRole, member: d.myRole !== null,
    memberCount: d.members.length, lastSeq: Math.max(old.lastSeq, d.lastSeq),
    readSeq: Math.max(old.readSeq, mine?.readSeq ?? 0),
    peerId: d.kind === 'direct' ? d.members.find((m) => m.userId !== state.me)?.userId ?? old.peerId : null,
    policy: parseRoomPolicy(d.policy) ?? old.policy,
    members: d.members.map((m) => {
      // A receipt that arrived while the detail was on its way is not lost.
      const known = old.members?.find((o) => o.userId === m.userId);
      const readSeq = Math.max(m.readSeq, known?.readSeq ?? 0);
      return {
        userId: m.userId, displayName: m.displayName, role: m.role, readSeq,
        readAt: readSeq > m.readSeq ? known?.readAt ?? m.readAt : m.readAt,
      };
    }),
  };
  return { ...state, rooms: { ...state.rooms, [d.id]: room } };
}

/** The caller left or was removed. */
export function roomRemoved(state: ChatState, roomId: string): ChatState {
  if (!state.rooms[roomId]) return state;
  const rooms = { ...state.rooms };
  delete rooms[roomId];
  const typing = { ...state.typing };
  delete typing[roomId];
  return { ...state, rooms, typing };
}

export function roomUpdated(state: ChatState, f: RoomUpdated): ChatState {
  return withRoom(state, f.roomId, (room) => ({ ...room, name: f.name, archived: f.archived }));
}

/** `room.policy`, or the answer to changing the ceiling or the emergency: the room's policy now. */
export function roomPolicyChanged(state: ChatState, roomId: string, policy: RoomPolicy): ChatState {
  return withRoom(state, roomId, (room) => ({ ...room, policy }));
}

/** `member.joined`; `unknownRoom` tells the caller to read its rooms again (it was added to a new one). */
export function memberJoined(state: ChatState, f: MemberJoined): { state: ChatState; unknownRoom: boolean } {
  const room = state.rooms[f.roomId];
  if (!room || !room.member) return { state, unknownRoom: true };
  const next = withRoom(state, f.roomId, (r) => {
    if (r.members?.some((m) => m.userId === f.userId)) return r;
    const members = r.members && [...r.members, { userId: f.userId, displayName: f.displayName, role: f.role, readSeq: 0, readAt: null }];
    return { ...r, members, memberCount: members ? members.length : r.memberCount + 1 };
  });
  return { state: next, unknownRoom: false };
}

/** `member.left`: another member went, or the caller did (the room is dropped). */
export function memberLeft(state: ChatState, roomId: string, userId: string): ChatState {
  if (userId === state.me) return roomRemoved(state, roomId);
  return withRoom(state, roomId, (r) => {
    const members = r.members?.filter((m) => m.userId !== userId) ?? null;
    return { ...r, members, memberCount: members ? members.length : Math.max(0, r.memberCount - 1) };
  });
}

// ---- messages --------------------------------------------------------------------------------------------

/** Merges messages into a sorted, unique-by-seq list; a message already held is replaced by the newer copy. */
export function mergeBySeq(held: MessageView[], incoming: MessageView[]): MessageView[] {
  if (incoming.length === 0) return held;
  const top = held.at(-1)?.seq ?? 0;
  const sortedIncoming = [...incoming].sort((a, b) => a.seq - b.seq);
  if (sortedIncoming[0].seq > top && isStrictlyIncreasing(sortedIncoming)) return [...held, ...sortedIncoming];
  const bySeq = new Map<number, MessageView>();
  for (const m of held) bySeq.set(m.seq, m);
  for (const m of sortedIncoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function isStrictlyIncreasing(messages: MessageView[]): boolean {
  return messages.every((m, i) => i === 0 || m.seq > messages[i - 1].seq);
}

/** The top of the run of consecutive seqs starting at the oldest held message (0 when none is held). */
export function contiguousTop(messages: MessageView[]): number {
  if (messages.length === 0) return 0;
  let top = messages[0].seq;
  for (let i = 1; i < messages.length && messages[i].seq === top + 1; i++) top = messages[i].seq;
  return top;
}

function applyMessages(state: ChatState, room: RoomState, incoming: MessageView[]): RoomState {
  const messages = mergeBySeq(room.messages, incoming);
  const newest = messages.at(-1) ?? null;
  const lastMessage = newer(room.lastMessage, newest);
  let readSeq = room.readSeq;
  // The server marks a room read up to the sender's own message.
  for (const m of incoming) if (m.senderId === state.me && m.seq > readSeq) readSeq = m.seq;
  const heldSeqs = new Set(incoming.map((m) => m.seq));
  const pending = room.pending.filter((p) => !(p.seq !== undefined && heldSeqs.has(p.seq)));
  return {
    ...room,
    messages,
    syncedSeq: contiguousTop(messages),
    lastSeq: Math.max(room.lastSeq, newest?.seq ?? 0),
    lastMessage,
    activityAt: maxTime(room.activityAt, lastMessage?.sentAt ?? ''),
    readSeq,
    pending: pending.length === room.pending.length ? room.pending : pending,
  };
}

/**
 * A live `message.posted`. Returns `gap` when seqs are missing between what is held and this message: the
 * caller then sends `message.sync` from the room's `syncedSeq`. A room holding nothing yet has no gap (its
 * history is read when it is opened). Sending reads: the sender's read seq becomes at least the message's
 * (PROTOCOL.md, "Sending reads"), which no `receipt.updated` announces.
 */
export function messagePosted(state: ChatState, message: MessageView): { state: ChatState; gap: boolean } {
  const room = state.rooms[message.roomId];
  if (!room) return { state, gap: false };
  const gap = room.messages.length > 0 && message.seq > room.syncedSeq + 1;
  const next = applyMessages(state, room, [message]);
  const posted = { ...state, rooms: { ...state.rooms, [room.id]: next } };
  return {
    state: receiptUpdated(posted, {
      type: 'receipt.updated', roomId: message.roomId, userId: message.senderId, seq: message.seq, readAt: message.sentAt,
    }),
    gap,
  };
}

/**
 * A page of messages (`message.page` of a sync or history, or `GET …/messages`). `direction` says which
 * way it was read: `older` pages tell whether the start of the room was reached.
 */
export function pageLoaded(state: ChatState, page: {
  roomId: string; messages: MessageView[]; hasMore: boolean; lastSeq: number; direction: 'older' | 'newer';
}): ChatState {
  return withRoom(state, page.roomId, (room) => {
    const next = applyMessages(state, room, page.messages);
    const oldest = next.messages[0]?.seq;
    const reachedStart = room.reachedStart || oldest === 1 || (page.direction === 'older' && !page.hasMore)
      || (page.lastSeq === 0);
    return { ...next, lastSeq: Math.max(next.lastSeq, page.lastSeq), reachedStart };
  });
}

/** The held messages are from the future (`invalid_seq`): forget them, the room is read again. */
export function roomMessagesReset(state: ChatState, roomId: string): ChatState {
  return withRoom(state, roomId, (room) => ({ ...room, messages: [], syncedSeq: 0, reachedStart: false }));
}

function withMessage(state: ChatState, roomId: string, seq: number, change: (m: MessageView) => MessageView): ChatState {
  return withRoom(state, roomId, (room) => {
    const index = room.messages.findIndex((m) => m.seq === seq);
    const lastMessage = room.lastMessage?.seq === seq ? change(room.lastMessage) : room.lastMessage;
    if (index < 0) return lastMessage === room.lastMessage ? room : { ...room, lastMessage };
    const messages = [...room.messages];
    messages[index] = change(messages[index]);
    return { ...room, messages, lastMessage };
  });
}

export function messageEdited(state: ChatState, f: MessageEdited): ChatState {
  return withMessage(state, f.roomId, f.seq, (m) => ({ ...m, text: f.text, editedAt: f.editedAt }));
}

export function messageDeleted(state: ChatState, f: MessageDeleted): ChatState {
  return withMessage(state, f.roomId, f.seq, (m) => ({ ...m, text: null, deleted: true, reactions: [] }));
}

export function reactionChanged(state: ChatState, f: ReactionChanged): ChatState {
  return withMessage(state, f.roomId, f.seq, (m) => {
    const reactions = m.reactions.map((r) => ({ ...r }));
    let entry = reactions.find((r) => r.emoji === f.emoji);
    if (f.added) {
      if (!entry) reactions.push(entry = { emoji: f.emoji, userIds: [] });
      if (!entry.userIds.includes(f.userId)) entry.userIds = [...entry.userIds, f.userId];
    } else if (entry) {
      entry.userIds = entry.userIds.filter((u) => u !== f.userId);
    }
    return { ...m, reactions: reactions.filter((r) => r.userIds.length > 0) };
  });
}

// ---- sends -----------------------------------------------------------------------------------------------

/** A new send; a refusal shown for the room goes (this send replaces it). */
export function sendStarted(state: ChatState, send: PendingSend): ChatState {
  return withRoom(state, send.roomId, (room) => ({ ...room, pending: [...room.pending, send], refused: null }));
}

/** The server stored a send. Once the message itself is held, the pending entry goes. */
export function sendAcked(state: ChatState, ack: MessageAck): ChatState {
  return withRoom(state, ack.roomId, (room) => {
    const held = room.messages.some((m) => m.seq === ack.seq);
    const pending = held
      ? room.pending.filter((p) => p.id !== ack.re)
      : room.pending.map((p) => (p.id === ack.re ? { ...p, status: 'acked' as const, seq: ack.seq } : p));
    return { ...room, pending, readSeq: Math.max(room.readSeq, ack.seq), lastSeq: Math.max(room.lastSeq, ack.seq) };
  });
}

/** Refused for another reason than its content: shown in the timeline with "send again" and "discard". */
export function sendFailed(state: ChatState, roomId: string, id: string, error: unknown): ChatState {
  return withRoom(state, roomId, (room) => ({
    ...room, pending: room.pending.map((p) => (p.id === id ? { ...p, status: 'failed' as const, error, held: false } : p)),
  }));
}

/**
 * Refused for its content (`content_blocked`, `confirmation_required`): nothing was stored. The send leaves the
 * timeline at once and becomes the room's refusal, for the message box to show with its findings.
 */
export function sendRefused(state: ChatState, roomId: string, id: string, code: PolicyCode, findings: Finding[]): ChatState {
  return withRoom(state, roomId, (room) => {
    const p = room.pending.find((x) => x.id === id);
    if (!p) return room;
    return {
      ...room,
      pending: room.pending.filter((x) => x.id !== id),
      refused: { id, code, text: p.text, replyTo: p.replyTo, mentions: p.mentions, mentionAll: p.mentionAll, findings },
    };
  });
}

/** The sender has seen the refusal and goes on (edits the text, or cancels the confirmation). */
export function refusalDismissed(state: ChatState, roomId: string, id?: string): ChatState {
  return withRoom(state, roomId, (room) => (room.refused && (id === undefined || room.refused.id === id) ? { ...room, refused: null } : room));
}

export function sendRetried(state: ChatState, roomId: string, id: string): ChatState {
  return withRoom(state, roomId, (room) => ({
    ...room, pending: room.pending.map((p) => (p.id === id ? { ...p, status: 'sending' as const, error: undefined } : p)),
  }));
}

export function sendDiscarded(state: ChatState, roomId: string, id: string): ChatState {
  return withRoom(state, roomId, (room) => ({ ...room, pending: room.pending.filter((p) => p.id !== id) }));
}

// ---- receipts --------------------------------------------------------------------------------------------

/** `receipt.updated`: a member (perhaps the caller, in another tab) has read up to `seq`. Only moves forward. */
export function receiptUpdated(state: ChatState, f: ReceiptUpdated): ChatState {
  return withRoom(state, f.roomId, (room) => {
    const members = room.members?.map((m) => (m.userId === f.userId && f.seq > m.readSeq ? { ...m, readSeq: f.seq, readAt: f.readAt } : m))
      ?? null;
    const readSeq = f.userId === state.me ? Math.max(room.readSeq, f.seq) : room.readSeq;
    return { ...room, members, readSeq };
  });
}

/** The caller has read up to `seq` here (sent as `receipt.read`). */
export function readMarked(state: ChatState, roomId: string, seq: number, at: string): ChatState {
  return receiptUpdated(state, { type: 'receipt.updated', roomId, userId: state.me, seq, readAt: at });
}

// ---- presence and typing ---------------------------------------------------------------------------------

export function presenceLoaded(state: ChatState, entries: Schemas['PresenceEntry'][]): ChatState {
  const presence: Record<string, PresenceStatus> = {};
  for (const e of entries) presence[e.userId] = e.status;
  return { ...state, presence };
}

/** `presence.state`: the followed users' presence now. */
export function presenceMerged(state: ChatState, statuses: { userId: string; status: PresenceStatus }[]): ChatState {
  const presence = { ...state.presence };
  for (const { userId, status } of statuses) {
    if (status === 'offline') delete presence[userId];
    else presence[userId] = status;
  }
  return { ...state, presence };
}

/**
 * Whose presence to follow (`presence.subscribe`): the people of the caller's direct talks and the members of
 * the open room, sorted, at most 1,000.
 */
export function presenceFollows(state: ChatState, openRoomId: string | null): string[] {
  const ids = new Set<string>();
  for (const room of Object.values(state.rooms)) {
    if (room.member && room.kind === 'direct' && room.peerId) ids.add(room.peerId);
  }
  const open = openRoomId ? state.rooms[openRoomId] : undefined;
  for (const m of open?.members ?? []) ids.add(m.userId);
  ids.delete(state.me);
  return [...ids].sort().slice(0, 1000);
}

export function presenceChanged(state: ChatState, userId: string, status: PresenceStatus): ChatState {
  const presence = { ...state.presence };
  if (status === 'offline') delete presence[userId];
  else presence[userId] = status;
  return { ...state, presence };
}

/** How long a `typing.started` shows. */
export const TYPING_SHOW_MS = 5_000;

export function typingStarted(state: ChatState, roomId: string, userId: string, nowMs: number): ChatState {
  if (userId === state.me || !state.rooms[roomId]) return state;
  return { ...state, typing: { ...state.typing, [roomId]: { ...state.typing[roomId], [userId]: nowMs + TYPING_SHOW_MS } } };
}

/** Drops typing indicators that have run out, and those of users whose message has just arrived. */
export function typingExpired(state: ChatState, nowMs: number, roomId?: string, userId?: string): ChatState {
  let changed = false;
  const typing: ChatState['typing'] = {};
  for (const [room, users] of Object.entries(state.typing)) {
    const kept: Record<string, number> = {};
    for (const [user, until] of Object.entries(users)) {
      if (until > nowMs && !(room === roomId && user === userId)) kept[user] = until;
      else changed = true;
    }
    if (Object.keys(kept).length > 0) typing[room] = kept;
  }
  return changed ? { ...state, typing } : state;
}

// ---- derived values --------------------------------------------------------------------------------------

export function unreadCount(room: RoomState): number {
  return room.member ? Math.max(0, room.lastSeq - room.readSeq) : 0;
}

/**
 * Unread messages that mention the caller (or all): the count of `GET /rooms` while the read position has not
 * moved since, plus the held messages after that count's last seq.
 */
export function unreadMentionCount(room: RoomState, me: string): number {
  if (!room.member || room.readSeq >= room.lastSeq) return 0;
  const baseValid = room.readSeq <= room.mentionBase.readSeq;
  const base = baseValid ? room.mentionBase.count : 0;
  const after = baseValid ? Math.max(room.readSeq, room.mentionBase.lastSeq) : room.readSeq;
  const live = room.messages.filter((m) => m.seq > after && mentions(m, me)).length;
  return base + live;
}

/** Whether a message mentions this user (by name or `@all`) and is somebody else's. */
export function mentions(m: MessageView, userId: string): boolean {
  return m.senderId !== userId && !m.deleted && (m.mentionAll || m.mentions.includes(userId));
}

export function totalUnread(state: ChatState): number {
  return Object.values(state.rooms).reduce((sum, r) => sum + unreadCount(r), 0);
}

/** 既読 N: members other than the sender whose read seq is at least the message's. Null before members are known. */
export function readCount(room: RoomState, message: Pick<MessageView, 'seq' | 'senderId'>): number | null {
  if (!room.members) return null;
  return room.members.filter((m) => m.userId !== message.senderId && m.readSeq >= message.seq).length;
}

/** The caller's rooms, most recently active first (the server's order breaks ties). */
export function sortedRooms(state: ChatState): RoomState[] {
  const time = (r: RoomState) => (r.activityAt ? Date.parse(r.activityAt) : 0);
  return Object.values(state.rooms)
    .filter((r) => r.member)
    .sort((a, b) => time(b) - time(a) || a.listIndex - b.listIndex);
}

/** Where to resume each room after a reconnect: rooms holding messages, from the last consecutive seq. */
export function syncPoints(state: ChatState): { roomId: string; afterSeq: number }[] {
  return Object.values(state.rooms)
    .filter((r) => r.member && r.messages.length > 0)
    .map((r) => ({ roomId: r.id, afterSeq: r.syncedSeq }));
}

/** Whether some held message lies beyond the consecutive run (a gap still to fill). */
export function hasGap(room: RoomState): boolean {
  return (room.messages.at(-1)?.seq ?? 0) > room.syncedSeq;
}

/** Who is typing in a room now (user ids). */
export function typingIn(state: ChatState, roomId: string, nowMs: number): string[] {
  return Object.entries(state.typing[roomId] ?? {}).filter(([, until]) => until > nowMs).map(([user]) => user);
}

function maxTime(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
