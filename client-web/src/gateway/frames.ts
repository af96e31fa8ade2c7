/**
 * The frames of the WebSocket protocol v1 (`../protocol/PROTOCOL.md`) and a decoder for what the server sends.
 * The frame types are generated from the protocol's JSON Schemas into `frames.gen.ts` by `npm run gen`;
 * `frames.test.ts` checks the decoder and the type lists against the protocol's example frames.
 */
import type {
  AddReaction, Authenticate, DeleteMessage, DeviceRevoked, EditMessage, ErrorReply, FetchHistory, Hello, MarkRead,
  MemberJoined, MemberLeft,
  MessageAck, MessageDeleted, MessageEdited, MessagePage, MessagePosted, MessageView, Ok, PresenceChanged,
  PresenceState, ReactionChanged, ReceiptUpdated, RemoveReaction, RoomPolicyChanged, RoomUpdated, SendMessage, SessionReady, SetPresence,
  StartTyping, SubscribePresence, SyncMessages, TypingStarted,
} from './frames.gen';

export type * from './frames.gen';

export type PresenceStatus = PresenceChanged['status'];

/** The WebSocket subprotocol of this version. */
export const SUBPROTOCOL = 'kairan.v1';

/** Everything the client may send. */
export type ClientFrame = Authenticate | SendMessage | EditMessage | DeleteMessage | SyncMessages | FetchHistory
  | MarkRead | AddReaction | RemoveReaction | StartTyping | SetPresence | SubscribePresence;
export type ClientFrameType = ClientFrame['type'];

/** Everything the server sends: replies (with `re`) and events. */
export type ServerFrame = Hello | DeviceRevoked | SessionReady | MessageAck | MessagePage | Ok | PresenceState | ErrorReply | MessagePosted
  | MessageEdited | MessageDeleted | ReceiptUpdated | ReactionChanged | TypingStarted | PresenceChanged | RoomUpdated
  | MemberJoined | MemberLeft | RoomPolicyChanged;
export type ServerFrameType = ServerFrame['type'];

/** A server frame of one type. */
export type FrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;

// ---- the decoder -----------------------------------------------------------------------------------------

/** How a field is checked: its JSON type, `?` when it may be absent or null. */
type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'message' | 'messages' | 'statuses'
  | 'string?' | 'object?' | 'array?';

type Fields<T> = { [K in Exclude<keyof T, 'type'>]-?: Kind };

const MESSAGE_FIELDS: Fields<MessageView> = {
  id: 'string', roomId: 'string', seq: 'number', senderId: 'string', senderName: 'string', text: 'string?',
  sentAt: 'string', editedAt: 'string?', deleted: 'boolean', replyTo: 'object?', mentions: 'array',
  mentionAll: 'boolean', reactions: 'array',
};

/** The required fields of every server frame; a frame missing one (or with a wrong type) is dropped. */
const SERVER_FIELDS: { [T in ServerFrameType]: Fields<FrameOf<T>> } = {
  hello: { nonce: 'string' },
  'device.revoked': { wipe: 'boolean' },
  'session.ready': {
    re: 'string', connectionId: 'string', userId: 'string', orgId: 'string', serverTime: 'string',
    tokenExpiresAt: 'string', maxFrameBytes: 'number', nonce: 'string',
  },
  'message.ack': { re: 'string', roomId: 'string', messageId: 'string', seq: 'number', sentAt: 'string', duplicate: 'boolean' },
  'message.page': { re: 'string', roomId: 'string', messages: 'messages', hasMore: 'boolean', lastSeq: 'number' },
  ok: { re: 'string' },
  'presence.state': { re: 'string', statuses: 'statuses' },
  error: {
    re: 'string?', code: 'string', message: 'string', messageJa: 'string', retryable: 'boolean', detail: 'string?', findings: 'array?',
  },
  'message.posted': { roomId: 'string', message: 'message' },
  'message.edited': { roomId: 'string', messageId: 'string', seq: 'number', text: 'string', editedAt: 'string' },
  'message.deleted': { roomId: 'string', messageId: 'string', seq: 'number', deletedAt: 'string' },
  'receipt.updated': { roomId: 'string', userId: 'string', seq: 'number', readAt: 'string' },
  'reaction.changed': {
    roomId: 'string', messageId: 'string', seq: 'number', emoji: 'string', userId: 'string', added: 'boolean',
  },
  'typing.started': { roomId: 'string', userId: 'string' },
  'presence.changed': { userId: 'string', status: 'string' },
  'room.updated': { roomId: 'string', name: 'string', archived: 'boolean', by: 'string' },
  'member.joined': { roomId: 'string', userId: 'string', displayName: 'string', role: 'string', by: 'string' },
  'member.left': { roomId: 'string', userId: 'string', by: 'string' },
  'room.policy': { roomId: 'string', policy: 'object' },
};

/** Every type the client may send, as listed in PROTOCOL.md. */
export const CLIENT_FRAME_TYPES: readonly ClientFrameType[] = [
  'session.authenticate', 'message.send', 'message.edit', 'message.delete', 'message.sync', 'message.history',
  'receipt.read', 'reaction.add', 'reaction.remove', 'typing.start', 'presence.set', 'presence.subscribe',
];

/** Every type the server sends. */
export const SERVER_FRAME_TYPES = Object.keys(SERVER_FIELDS) as ServerFrameType[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matches(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return isObject(value);
    case 'string?': return value == null || typeof value === 'string';
    case 'object?': return value == null || isObject(value);
    case 'array?': return value == null || Array.isArray(value);
    case 'message': return isMessage(value);
    case 'messages': return Array.isArray(value) && value.every(isMessage);
    case 'statuses': return Array.isArray(value)
      && value.every((v) => isObject(v) && typeof v.userId === 'string' && typeof v.status === 'string');
  }
}

function hasFields(value: Record<string, unknown>, fields: Record<string, Kind>): boolean {
  return Object.entries(fields).every(([name, kind]) => matches(value[name], kind));
}

function isMessage(value: unknown): value is MessageView {
  return isObject(value) && hasFields(value, MESSAGE_FIELDS);
}

/** Why a frame was not accepted. */
export type DecodeResult =
  | { ok: true; frame: ServerFrame }
  | { ok: false; reason: 'not_json' | 'not_object' | 'unknown_type' | 'bad_fields'; type?: string };

/**
 * Reads one text frame from the server. Unknown fields are kept (and ignored); unknown types are reported as
 * `unknown_type` so that the caller can ignore them, as the protocol's versioning rules ask.
 */
export function decodeServerFrame(text: string): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  if (!isObject(json)) return { ok: false, reason: 'not_object' };
  const type = json.type;
  if (typeof type !== 'string' || !Object.hasOwn(SERVER_FIELDS, type)) {
    return { ok: false, reason: 'unknown_type', type: typeof type === 'string' ? type : undefined };
  }
  const fields = SERVER_FIELDS[type as ServerFrameType] as Record<string, Kind>;
  if (!hasFields(json, fields)) return { ok: false, reason: 'bad_fields', type };
  return { ok: true, frame: json as unknown as ServerFrame };
}

/** A frame as sent: one JSON text. */
export function encodeClientFrame(frame: ClientFrame): string {
  return JSON.stringify(frame);
}
