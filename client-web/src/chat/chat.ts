import { isApiError, type ApiClient, type Schemas } from '../api/client';
import {
  parseRoomPolicy, policyRefusal, PolicyApi, type CheckResult, type ImportanceClass, type RoomPolicy,
} from '../api/policy';
import { Gateway, isGatewayError, newId, type GatewayStatus, type SocketLike } from '../gateway/connection';
import type { EditMessage, MessageView, ReplyRef, ServerFrame, SendMessage } from '../gateway/frames';
import { jumpStep } from './jump';
import * as S from './store';
import type { ChatState, PendingSend } from './store';

type RoomDetail = Schemas['RoomDetail'];

/** Messages per history page read over HTTP. */
export const HISTORY_PAGE = 50;
const MARK_READ_DELAY_MS = 300;
const TYPING_EVERY_MS = 3_000;
const AWAY_AFTER_HIDDEN_MS = 60_000;
const FOLLOW_DELAY_MS = 100;
/** Without a frame from the server for this long, ask something; without an answer in HEARTBEAT_TIMEOUT_MS, reconnect. */
const HEARTBEAT_IDLE_MS = 45_000;
const HEARTBEAT_TIMEOUT_MS = 10_000;

/**
 * The signed-in user's chat: the room state (`store.ts`), kept current by the gateway connection and the HTTP
 * API. The screens read `state` and call the methods here; nothing else touches the connection. Browser
 * specifics (visibility, notifications, the title) are wired in `browser.ts`.
 */
export class Chat {
  state: ChatState;
  status: GatewayStatus = 'idle';
  readonly gateway: Gateway;
  /** The policy endpoints (POLICY.md). */
  readonly policy: PolicyApi;

  private readonly listeners = new Set<() => void>();
  private readonly incomingListeners = new Set<(room: S.RoomState, message: MessageView) => void>();
  private readonly roomGoneListeners = new Set<(roomId: string) => void>();
  private readonly stops: (() => void)[] = [];
  private activeRoom: string | null = null;
  private visible = true;
  private presenceSent: 'online' | 'away' | null = null;
  private awayTimer: ReturnType<typeof setTimeout> | null = null;
  private readTimer: ReturnType<typeof setTimeout> | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private followTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  /** The user ids last sent in `presence.subscribe`, joined; null before the first on this connection. */
  private followed: string | null = null;
  private readonly typingSent = new Map<string, number>();
  private readonly loadingOlder = new Map<string, Promise<void>>();
  private readonly syncingRooms = new Set<string>();
  private clientConfig: Promise<string> | null = null;
  private readonly now: () => number;

  constructor(
    private readonly api: ApiClient,
    readonly me: Schemas['Me'],
    options: {
      createSocket?: (url: string, protocols: string[]) => SocketLike;
      now?: () => number;
      /** Signs the gateway's DPoP proofs (default: the API client's device key). */
      proof?: (url: string, token: string, nonce: string) => Promise<string>;
    } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.state = S.initialState(me.id);
    this.policy = new PolicyApi(api);
    this.gateway = new Gateway({
      url: () => this.gatewayUrl(),
      tokens: { token: () => api.accessToken(), refresh: async () => (await api.refresh()).accessToken },
      proof: options.proof ?? ((url, token, nonce) => api.gatewayProof(url, token, nonce)),
      onRevoked: () => api.onDeviceRevoked(null),
      createSocket: options.createSocket,
      syncPoints: () => S.syncPoints(this.state),
      onSyncError: (roomId, e) => this.syncFailed(roomId, e),
    });
    this.stops.push(
      this.gateway.onFrame((f) => this.receive(f)),
      this.gateway.onStatus((s) => {
        this.status = s;
        this.emit();
      }),
      this.gateway.onReady((_, again) => {
        if (!again) this.connected();
      }),
    );
  }

  // ---- lifecycle and listeners -----------------------------------------------------------------------------

  start(): void {
    this.gateway.start();
    this.loadRooms().catch(() => {});
    this.heartbeatTimer = setInterval(() => this.heartbeat(), HEARTBEAT_IDLE_MS / 3);
  }

  stop(): void {
    for (const stop of this.stops) stop();
    this.gateway.stop();
    for (const timer of [this.awayTimer, this.readTimer, this.typingTimer, this.followTimer]) if (timer) clearTimeout(timer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.listeners.clear();
  }

  /** Called after every change of `state` or `status`. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A message of somebody else arrived live in one of the caller's rooms (for notifications). */
  onIncoming(listener: (room: S.RoomState, message: MessageView) => void): () => void {
    this.incomingListeners.add(listener);
    return () => this.incomingListeners.delete(listener);
  }

  /** The caller left or was removed from a room. */
  onRoomGone(listener: (roomId: string) => void): () => void {
    this.roomGoneListeners.add(listener);
    return () => this.roomGoneListeners.delete(listener);
  }

  private set(next: ChatState): void {
    if (next === this.state) return;
    this.state = next;
    this.emit();
    this.scheduleMarkRead();
    this.scheduleFollow();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }

  // ---- what the screens say --------------------------------------------------------------------------------

  /** The room on screen (null for none): it is marked read while the page is visible. */
  setActiveRoom(roomId: string | null): void {
    this.activeRoom = roomId;
    this.scheduleMarkRead();
    this.scheduleFollow();
  }

  /** The page became visible or hidden: presence goes `away` after a minute hidden, `online` when back. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (this.awayTimer) clearTimeout(this.awayTimer);
    this.awayTimer = null;
    if (visible) {
      this.sendPresence('online');
      this.scheduleMarkRead();
    } else {
      this.awayTimer = setTimeout(() => this.sendPresence('away'), AWAY_AFTER_HIDDEN_MS);
    }
  }

  isVisible(): boolean {
    return this.visible;
  }

  activeRoomId(): string | null {
    return this.activeRoom;
  }

  // ---- loading ---------------------------------------------------------------------------------------------

  async loadRooms(): Promise<void> {
    const rooms = await this.api.call('get', '/api/v1/rooms');
    this.set(S.roomsLoaded(this.state, rooms));
  }

  async loadPresence(): Promise<void> {
    const presence = await this.api.call('get', '/api/v1/presence');
    this.set(S.presenceLoaded(this.state, presence));
  }

  /**
   * Reads a room's members (with their read positions) and its messages: the recent ones held are read again
   * (edits, deletions and reactions made while this page was away), newer ones are added, and when few are
   * held, older history too. Throws `forbidden`.
   */
  async openRoom(roomId: string): Promise<void> {
    this.roomDetail(await this.api.call('get', '/api/v1/rooms/{roomId}', { params: { roomId } }));
    await this.refreshRecent(roomId);
    const room = this.state.rooms[roomId];
    if (room && !room.reachedStart && room.messages.length < HISTORY_PAGE) await this.loadOlder(roomId);
  }

  /** Reads again from within the held messages up to the newest, so that what is held stays consecutive. */
  private async refreshRecent(roomId: string): Promise<void> {
    let after = Math.max(0, (this.state.rooms[roomId]?.syncedSeq ?? 0) - HISTORY_PAGE);
    if (!this.state.rooms[roomId]?.messages.length) return;
    for (let pages = 0; pages < 10; pages++) {
      let page: Schemas['MessagesPage'];
      try {
        page = await this.api.call('get', '/api/v1/rooms/{roomId}/messages', { params: { roomId }, query: { afterSeq: after, limit: 200 } });
      } catch (e) {
        if (!isApiError(e, 'invalid_seq')) throw e;
        this.set(S.roomMessagesReset(this.state, roomId));
        return;
      }
      this.set(S.pageLoaded(this.state, { ...page, direction: 'newer' }));
      const last = page.messages.at(-1)?.seq;
      if (!page.hasMore || last === undefined) return;
      after = last;
    }
  }

  /** Reads the page of messages before the oldest held one (the newest page when none is held). */
  loadOlder(roomId: string): Promise<void> {
    const running = this.loadingOlder.get(roomId);
    if (running) return running;
    const load = (async () => {
      const beforeSeq = this.state.rooms[roomId]?.messages[0]?.seq;
      const page = await this.api.call('get', '/api/v1/rooms/{roomId}/messages', {
        params: { roomId }, query: { beforeSeq, limit: HISTORY_PAGE },
      });
      this.set(S.pageLoaded(this.state, { ...page, direction: 'older' }));
    })().finally(() => this.loadingOlder.delete(roomId));
    this.loadingOlder.set(roomId, load);
    return load;
  }

  /** Reads the page after the held run: a room opened far back at one message (`openAt`) holds a window of it. */
  async loadNewer(roomId: string): Promise<void> {
    const afterSeq = this.state.rooms[roomId]?.syncedSeq;
    if (afterSeq === undefined) return;
    const page = await this.api.call('get', '/api/v1/rooms/{roomId}/messages', {
      params: { roomId }, query: { afterSeq, limit: HISTORY_PAGE },
    });
    this.set(S.pageLoaded(this.state, { ...page, direction: 'newer' }));
  }

  /**
   * Reads the history around message `seq` until it is held (`jump.ts`), after `openRoom`. `found`: it is held
   * now; `window`: what was held made way for a window around it (newer messages are read on request).
   */
  async openAt(roomId: string, seq: number): Promise<{ found: boolean; window: boolean }> {
    let window = false;
    for (let steps = 0; steps < 10; steps++) {
      const room = this.state.rooms[roomId];
      if (!room) return { found: false, window };
      const step = jumpStep(room, seq);
      if (step.kind === 'held' || step.kind === 'missing') return { found: step.kind === 'held', window };
      const query = step.kind === 'older' ? { beforeSeq: step.beforeSeq, limit: step.limit } : { afterSeq: step.afterSeq, limit: step.limit };
      let page: Schemas['MessagesPage'];
      try {
        page = await this.api.call('get', '/api/v1/rooms/{roomId}/messages', { params: { roomId }, query });
      } catch (e) {
        if (isApiError(e, 'invalid_seq')) return { found: false, window };
        throw e;
      }
      const held = heldRange(room);
      if (step.kind === 'window') {
        window = true;
        this.set(S.roomMessagesReset(this.state, roomId));
      }
      this.set(S.pageLoaded(this.state, { ...page, direction: step.kind === 'older' ? 'older' : 'newer' }));
      const now = this.state.rooms[roomId];
      // A page that added nothing: the message is not there to be read (purged in between).
      const stuck = step.kind === 'window' ? page.messages.length === 0 : heldRange(now ?? room) === held;
      if (!now || stuck) return { found: !!now && jumpStep(now, seq).kind === 'held', window };
    }
    return { found: false, window };
  }

  readers(roomId: string, seq: number): Promise<Schemas['MessageReaders']> {
    return this.api.call('get', '/api/v1/rooms/{roomId}/messages/{seq}/readers', { params: { roomId, seq } });
  }

  // ---- messages --------------------------------------------------------------------------------------------

  /**
   * Posts a message: shown greyed at once, replaced by the stored message when it arrives. `held`: the draft
   * check expects a refusal, so the message box keeps the text and the timeline shows nothing until the server
   * answers. Returns the request id.
   */
  send(roomId: string, text: string, options: {
    replyTo?: MessageView | null; mentions?: string[]; mentionAll?: boolean; held?: boolean;
  } = {}): string {
    const replyTo = options.replyTo
      ? { messageId: options.replyTo.id, seq: options.replyTo.seq, senderId: options.replyTo.senderId, excerpt: excerpt(options.replyTo.text) }
      : null;
    return this.post(roomId, text, replyTo, options.mentions ?? [], options.mentionAll ?? false, { held: options.held });
  }

  private post(roomId: string, text: string, replyTo: ReplyRef | null, mentions: string[], mentionAll: boolean,
    flags: { held?: boolean; confirmed?: boolean }): string {
    const pending: PendingSend = {
      id: newId(), roomId, text, replyTo, mentions, mentionAll, createdAt: new Date(this.now()).toISOString(), status: 'sending',
    };
    if (flags.held) pending.held = true;
    if (flags.confirmed) pending.confirmed = true;
    this.set(S.sendStarted(this.state, pending));
    this.typingSent.delete(roomId);
    this.transmit(pending);
    return pending.id;
  }

  /**
   * The sender confirms a send that needed it (`confirmation_required`): the same text, reply and mentions go
   * again with `confirmed: true` under a new request id (the refused one was never stored). Returns that id, or
   * null when there is nothing to confirm.
   */
  confirmRefused(roomId: string): string | null {
    const refused = this.state.rooms[roomId]?.refused;
    if (!refused || refused.code !== 'confirmation_required') return null;
    return this.post(roomId, refused.text, refused.replyTo, refused.mentions, refused.mentionAll, { confirmed: true });
  }

  /** The sender has seen the refusal (or cancelled the confirmation); the text stays in the message box. */
  dismissRefused(roomId: string, id?: string): void {
    this.set(S.refusalDismissed(this.state, roomId, id));
  }

  /** Classifies a draft (`POST …/messages/check`); nothing is stored. */
  checkDraft(roomId: string, text: string, signal?: AbortSignal): Promise<CheckResult> {
    return this.policy.check(roomId, text, signal);
  }

  /** Sends a failed message again, with the same id (the server stores it at most once). */
  retry(roomId: string, id: string): void {
    const pending = this.state.rooms[roomId]?.pending.find((p) => p.id === id);
    if (!pending) return;
    this.set(S.sendRetried(this.state, roomId, id));
    this.transmit(pending);
  }

  discard(roomId: string, id: string): void {
    this.set(S.sendDiscarded(this.state, roomId, id));
  }

  private transmit(p: PendingSend): void {
    const frame: SendMessage = { type: 'message.send', id: p.id, roomId: p.roomId, text: p.text };
    if (p.replyTo) frame.replyTo = p.replyTo.messageId;
    if (p.mentions.length > 0) frame.mentions = p.mentions;
    if (p.mentionAll) frame.mentionAll = true;
    if (p.confirmed) frame.confirmed = true;
    this.gateway.sendMessage(frame).catch((e: unknown) => {
      const refusal = policyRefusal(e);
      this.set(refusal
        ? S.sendRefused(this.state, p.roomId, p.id, refusal.code, refusal.findings)
        : S.sendFailed(this.state, p.roomId, p.id, e));
    });
  }

  /** Edits a message; `confirmed` after the sender confirmed a warning. Throws `content_blocked` and the like. */
  async edit(roomId: string, message: MessageView, text: string, confirmed = false): Promise<void> {
    const frame: Omit<EditMessage, 'id'> = { type: 'message.edit', roomId, messageId: message.id, text };
    if (confirmed) frame.confirmed = true;
    await this.gateway.request(frame);
  }

  async remove(roomId: string, message: MessageView): Promise<void> {
    await this.gateway.request({ type: 'message.delete', roomId, messageId: message.id });
  }

  /** Adds the caller's reaction, or takes it back when already there. */
  async toggleReaction(roomId: string, message: MessageView, emoji: string): Promise<void> {
    const mine = message.reactions.some((r) => r.emoji === emoji && r.userIds.includes(this.me.id));
    await this.gateway.request({ type: mine ? 'reaction.remove' : 'reaction.add', roomId, messageId: message.id, emoji });
  }

  /** The caller is typing: `typing.start` at most every 3 seconds per room. */
  typing(roomId: string): void {
    const last = this.typingSent.get(roomId) ?? -Infinity;
    if (this.now() - last < TYPING_EVERY_MS) return;
    this.typingSent.set(roomId, this.now());
    this.gateway.fire({ type: 'typing.start', roomId });
  }

  // ---- rooms and members (HTTP) ----------------------------------------------------------------------------

  async createRoom(name: string, memberIds: string[]): Promise<RoomDetail> {
    return this.roomDetail(await this.api.call('post', '/api/v1/rooms', { body: { name, memberIds } }));
  }

  async openDirect(userId: string): Promise<RoomDetail> {
    return this.roomDetail(await this.api.call('post', '/api/v1/rooms/direct', { body: { userId } }));
  }

  async updateRoom(roomId: string, body: Schemas['UpdateRoomRequest']): Promise<RoomDetail> {
    return this.roomDetail(await this.api.call('patch', '/api/v1/rooms/{roomId}', { params: { roomId }, body }));
  }

  async addMembers(roomId: string, userIds: string[]): Promise<RoomDetail> {
    return this.roomDetail(await this.api.call('post', '/api/v1/rooms/{roomId}/members', { params: { roomId }, body: { userIds } }));
  }

  async setMemberRole(roomId: string, userId: string, role: S.RoomRole): Promise<RoomDetail> {
    return this.roomDetail(await this.api.call('patch', '/api/v1/rooms/{roomId}/members/{userId}', {
      params: { roomId, userId }, body: { role },
    }));
  }

  /** Removes a member, or leaves when `userId` is the caller. */
  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.api.call('delete', '/api/v1/rooms/{roomId}/members/{userId}', { params: { roomId, userId } });
    this.set(S.memberLeft(this.state, roomId, userId));
  }

  private roomDetail(detail: RoomDetail): RoomDetail {
    this.set(S.roomDetailLoaded(this.state, detail));
    return detail;
  }

  // ---- room policy (HTTP) ----------------------------------------------------------------------------------

  /** Sets the room's own ceiling (`null`: follow the org default). */
  async setCeiling(roomId: string, ceiling: ImportanceClass | null): Promise<void> {
    this.policyChanged(roomId, await this.policy.setCeiling(roomId, ceiling));
  }

  /** Org owners: lifts the ceiling to `I` for `hours` (pending until approved, unless one approver suffices). */
  async requestEmergency(roomId: string, reason: string, hours: number): Promise<void> {
    this.policyChanged(roomId, await this.policy.requestEmergency(roomId, reason, hours));
  }

  async approveEmergency(roomId: string): Promise<void> {
    this.policyChanged(roomId, await this.policy.approveEmergency(roomId));
  }

  /** Ends the emergency early, or withdraws a pending request. */
  async endEmergency(roomId: string): Promise<void> {
    this.policyChanged(roomId, await this.policy.endEmergency(roomId));
  }

  /** The room's policy as a change answered it (the `room.policy` frame says the same, when it comes). */
  private policyChanged(roomId: string, policy: RoomPolicy): void {
    this.set(S.roomPolicyChanged(this.state, roomId, policy));
  }

  // ---- the gateway -----------------------------------------------------------------------------------------

  private async gatewayUrl(): Promise<string> {
    this.clientConfig ??= this.api.call('get', '/api/v1/client-config').then((c) => gatewayUrl(c), (e: unknown) => {
      this.clientConfig = null;
      throw e;
    });
    return this.clientConfig;
  }

  /** A new connection is authenticated: read what may have changed meanwhile. */
  private connected(): void {
    this.presenceSent = null;
    this.followed = null;
    this.scheduleFollow();
    this.sendPresence(this.visible || this.awayTimer ? 'online' : 'away');
    this.loadRooms().catch(() => {});
    this.loadPresence().catch(() => {});
    // Receipts, edits and deletions missed while disconnected: read the open room again.
    if (this.activeRoom && this.state.rooms[this.activeRoom]) this.openRoom(this.activeRoom).catch(() => {});
    this.scheduleMarkRead();
  }

  private receive(f: ServerFrame): void {
    switch (f.type) {
      case 'message.posted': {
        const { state, gap } = S.messagePosted(this.state, f.message);
        this.set(S.typingExpired(state, this.now(), f.roomId, f.message.senderId));
        if (gap) this.syncRoom(f.roomId);
        const room = this.state.rooms[f.roomId];
        if (room?.member && f.message.senderId !== this.me.id) {
          for (const listener of [...this.incomingListeners]) listener(room, f.message);
        }
        break;
      }
      case 'message.page':
        this.set(S.pageLoaded(this.state, { ...f, direction: 'newer' }));
        break;
      case 'message.ack':
        // The server moved our read seq to this message when storing it (PROTOCOL.md, "Sending reads").
        this.set(S.sendAcked(this.state, f));
        break;
      case 'message.edited':
        this.set(S.messageEdited(this.state, f));
        break;
      case 'message.deleted':
        this.set(S.messageDeleted(this.state, f));
        break;
      case 'reaction.changed':
        this.set(S.reactionChanged(this.state, f));
        break;
      case 'receipt.updated':
        this.set(S.receiptUpdated(this.state, f));
        break;
      case 'typing.started':
        this.set(S.typingStarted(this.state, f.roomId, f.userId, this.now()));
        this.scheduleTypingExpiry();
        break;
      case 'presence.changed':
        this.set(S.presenceChanged(this.state, f.userId, f.status));
        break;
      case 'presence.state':
        this.set(S.presenceMerged(this.state, f.statuses));
        break;
      case 'room.updated':
        this.set(S.roomUpdated(this.state, f));
        break;
      case 'member.joined': {
        const { state, unknownRoom } = S.memberJoined(this.state, f);
        this.set(state);
        if (unknownRoom && f.userId === this.me.id) this.loadRooms().catch(() => {});
        break;
      }
      case 'room.policy': {
        const policy = parseRoomPolicy(f.policy);
        if (policy) this.set(S.roomPolicyChanged(this.state, f.roomId, policy));
        break;
      }
      case 'member.left':
        this.set(S.memberLeft(this.state, f.roomId, f.userId));
        if (f.userId === this.me.id) for (const listener of [...this.roomGoneListeners]) listener(f.roomId);
        break;
      default:
        break;
    }
  }

  /** Fills a gap: `message.sync` from the last consecutive seq, again while a gap remains (at most 3 times). */
  private syncRoom(roomId: string, attempts = 3): void {
    if (this.syncingRooms.has(roomId) || attempts <= 0) return;
    const room = this.state.rooms[roomId];
    if (!room) return;
    this.syncingRooms.add(roomId);
    this.gateway.sync(roomId, room.syncedSeq).then(
      () => {
        this.syncingRooms.delete(roomId);
        const after = this.state.rooms[roomId];
        if (after && S.hasGap(after)) this.syncRoom(roomId, attempts - 1);
      },
      (e: unknown) => {
        this.syncingRooms.delete(roomId);
        this.syncFailed(roomId, e);
      },
    );
  }

  private syncFailed(roomId: string, e: unknown): void {
    if (!isGatewayError(e, 'invalid_seq')) return;
    this.set(S.roomMessagesReset(this.state, roomId));
    if (roomId === this.activeRoom) this.openRoom(roomId).catch(() => {});
  }

  // ---- read marks, presence, typing ------------------------------------------------------------------------

  /** While a room is on screen and the page visible, marks its newest held message read (debounced). */
  private scheduleMarkRead(): void {
    if (this.readTimer || !this.shouldMarkRead()) return;
    this.readTimer = setTimeout(() => {
      this.readTimer = null;
      if (!this.shouldMarkRead()) return;
      const room = this.state.rooms[this.activeRoom!];
      const seq = room.messages.at(-1)!.seq;
      this.gateway.request({ type: 'receipt.read', roomId: room.id, seq }).catch(() => {});
      this.set(S.readMarked(this.state, room.id, seq, new Date(this.now()).toISOString()));
    }, MARK_READ_DELAY_MS);
  }

  private shouldMarkRead(): boolean {
    if (!this.activeRoom || !this.visible || this.status !== 'online') return false;
    const room = this.state.rooms[this.activeRoom];
    const newest = room?.messages.at(-1)?.seq ?? 0;
    return !!room && room.member && newest > room.readSeq;
  }

  private sendPresence(status: 'online' | 'away'): void {
    if (this.presenceSent === status || this.status !== 'online') return;
    this.presenceSent = status;
    this.gateway.request({ type: 'presence.set', status }).catch(() => {
      this.presenceSent = null;
    });
  }

  /**
   * Follows the presence of the people whose dots are on screen (direct talks, the open room's members) with
   * `presence.subscribe`, whenever that set changes; the server then sends `presence.changed` for them only.
   */
  private scheduleFollow(): void {
    if (this.followTimer || this.status !== 'online') return;
    this.followTimer = setTimeout(() => {
      this.followTimer = null;
      if (this.status !== 'online') return;
      const userIds = S.presenceFollows(this.state, this.activeRoom);
      const key = userIds.join(',');
      if (key === this.followed) return;
      this.followed = key;
      this.gateway.request({ type: 'presence.subscribe', userIds }).catch(() => {
        this.followed = null;
      });
    }, FOLLOW_DELAY_MS);
  }

  /**
   * A connection whose network died without a close (Wi-Fi gone, laptop asleep) looks open for minutes. When
   * nothing has arrived for a while, a `presence.set` with the current status (a no-op) must be answered
   * promptly, or the connection is dropped and made again.
   */
  private heartbeat(): void {
    if (this.status !== 'online' || this.now() - this.gateway.lastReceivedAt < HEARTBEAT_IDLE_MS) return;
    const status = this.presenceSent ?? (this.visible ? 'online' : 'away');
    const socketAt = this.gateway.session;
    const timeout = setTimeout(() => {
      if (this.gateway.session === socketAt) this.gateway.drop();
    }, HEARTBEAT_TIMEOUT_MS);
    this.gateway.request({ type: 'presence.set', status }).then(() => clearTimeout(timeout), () => clearTimeout(timeout));
  }

  private scheduleTypingExpiry(): void {
    if (this.typingTimer) return;
    this.typingTimer = setTimeout(() => {
      this.typingTimer = null;
      this.set(S.typingExpired(this.state, this.now()));
      if (Object.keys(this.state.typing).length > 0) this.scheduleTypingExpiry();
    }, 1_000);
  }
}

/** The gateway URL from `/api/v1/client-config`: `gatewayUrl`, or this page's host with the gateway's port and path. */
export function gatewayUrl(config: Schemas['ClientConfig'], page?: { hostname: string }): string {
  if (config.gatewayUrl) return config.gatewayUrl;
  const host = (page ?? location).hostname;
  return `${config.gatewayTls ? 'wss' : 'ws'}://${host}:${config.gatewayPort}${config.gatewayPath}`;
}

/** What a room holds, as `count:oldest:newest`, to tell whether a page added anything. */
function heldRange(room: S.RoomState): string {
  return `${room.messages.length}:${room.messages[0]?.seq}:${room.messages.at(-1)?.seq}`;
}

/** The start of a message's text as a reply quotes it. */
export function excerpt(text: string | null, max = 120): string | null {
  if (text === null) return null;
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
