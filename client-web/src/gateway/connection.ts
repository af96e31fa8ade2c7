import {
  decodeServerFrame, encodeClientFrame, SUBPROTOCOL,
  type ClientFrame, type ErrorReply, type MessageAck, type MessagePage, type SendMessage,
  type ServerFrame, type SessionReady,
} from './frames';

/**
 * One WebSocket connection to the gateway that keeps itself alive (`PROTOCOL.md`):
 *
 * - opens `new WebSocket(url, ['kairan.v1'])`, waits for the server's `hello` and answers with
 *   `session.authenticate`, whose DPoP proof (`DEVICES.md`) carries the hello's nonce;
 * - before the token expires, sends `session.authenticate` again with a fresh token and a proof over the nonce of
 *   the last `session.ready`;
 * - on `device.revoked` or the close code 4004 it stops for good, reports `revoked` and tells `onRevoked`;
 * - after a close it reconnects with exponential backoff (1 s doubling to 30 s, with jitter), refreshing the
 *   token first after 4001; after 4003 (account disabled, session ended) it stops and reports `signedOut`;
 * - `message.send` frames stay in an outbox until acknowledged and are sent again, with the same `id` (the
 *   idempotency key), after every reconnect;
 * - after every `session.ready` of a new connection it sends `message.sync` for every room `syncPoints` names
 *   and follows `hasMore`.
 *
 * Every decoded server frame, replies included, goes to the `onFrame` listeners. Not thread-safe (the
 * browser has one thread); timers, sockets and randomness are injectable for tests.
 */
export class Gateway {
  /** What the connection is doing; `connection-status` in the UI shows it. */
  status: GatewayStatus = 'idle';
  /** The current connection's `session.ready`, or null while not authenticated. */
  session: SessionReady | null = null;
  /** The delay of the reconnect that is waiting, in ms (for the UI and tests). */
  retryDelayMs: number | null = null;
  /** Why the connection ended for `failed` or `signedOut` (the close reason, an error code), or null. */
  closeReason: string | null = null;

  private socket: SocketLike | null = null;
  private stopped = true;
  private attempt = 0;
  private needFreshToken = false;
  private authId: string | null = null;
  /** The current connection's URL and first token, for the proof that answers `hello`. */
  private connection: { url: string; token: string } | null = null;
  /** The nonce the next proof must carry (`hello`, then each `session.ready`). */
  private nonce: string | null = null;
  private retryTimer: TimerId | null = null;
  private reauthTimer: TimerId | null = null;
  /** Requests waiting for their reply, by id. Sends are in `outbox` instead. */
  private readonly pending = new Map<string, Waiter>();
  /** Unacknowledged sends in the order they were made. */
  private readonly outbox = new Map<string, { frame: SendMessage; waiter: Waiter<MessageAck>; retries: number }>();
  private readonly syncing = new Map<string, Promise<void>>();
  private readonly frameListeners = new Set<(frame: ServerFrame) => void>();
  private readonly statusListeners = new Set<(status: GatewayStatus) => void>();
  private readonly readyListeners = new Set<(ready: SessionReady, again: boolean) => void>();
  private readonly o: Required<GatewayOptions>;

  constructor(options: GatewayOptions) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as GatewayOptions;
    this.o = {
      createSocket: (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike,
      syncPoints: () => [],
      onSyncError: () => {},
      onRevoked: () => {},
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (id) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
      random: Math.random,
      newId,
      syncLimit: 200,
      ...given,
    };
  }

  /** Listens to every server frame; returns the function that stops listening. */
  onFrame(listener: (frame: ServerFrame) => void): () => void {
    return add(this.frameListeners, listener);
  }

  onStatus(listener: (status: GatewayStatus) => void): () => void {
    return add(this.statusListeners, listener);
  }

  /** Called after each new connection is authenticated (`again` false) and after each re-authentication (true). */
  onReady(listener: (ready: SessionReady, again: boolean) => void): () => void {
    return add(this.readyListeners, listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  /** Closes the connection for good; unacknowledged sends fail with `stopped`. */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    this.session = null;
    if (socket) {
      detach(socket);
      socket.close(1000, 'client_closed');
    }
    this.failPending('stopped');
    for (const { waiter } of this.outbox.values()) waiter.reject(new GatewayError('stopped'));
    this.outbox.clear();
    this.setStatus('idle');
  }

  /** Reconnects at once (e.g. the browser went online again, or the user pressed "reconnect"). */
  reconnectNow(): void {
    if (this.stopped || this.status === 'online' || this.status === 'connecting' || this.status === 'authenticating') return;
    if (this.retryTimer !== null) this.o.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    void this.connect();
  }

  /**
   * Gives up the current connection and reconnects with backoff, as after a close: the network went away
   * (the browser's `offline` event; an open socket does not notice by itself) or it stopped answering.
   */
  drop(): void {
    const socket = this.socket;
    if (this.stopped || !socket) return;
    this.closed(socket, 1006, 'dropped');
    try {
      socket.close(4000, 'client_dropped');
    } catch {
      // already closing
    }
  }

  /** When the last frame arrived from the server (ms, `Date.now()`), 0 before any. */
  lastReceivedAt = 0;

  /**
   * Posts a message. The frame's `id` is its idempotency key: keep it, and the same frame is sent again after
   * a reconnect until the server acknowledges it. Resolves with the ack; rejects with the server's error.
   */
  sendMessage(frame: SendMessage): Promise<MessageAck> {
    const existing = this.outbox.get(frame.id);
    if (existing) return existing.waiter.promise;
    const tooBig = this.checkSize(frame);
    if (tooBig) return Promise.reject(tooBig);
    const waiter = deferred<MessageAck>();
    this.outbox.set(frame.id, { frame, waiter, retries: 0 });
    if (this.status === 'online') this.write(frame);
    return waiter.promise;
  }

  /** Whether a send with this id still waits for its ack. */
  isUnacked(id: string): boolean {
    return this.outbox.has(id);
  }

  /**
   * Sends a request and resolves with its reply (`ok`, `message.page`, ...). Fails at once with `offline` when
   * not connected, and with `disconnected` if the connection drops before the reply.
   */
  request<T extends ServerFrame = ServerFrame>(frame: DistributiveOmit<Exclude<ClientFrame, SendMessage>, 'id'>): Promise<T> {
    if (this.status !== 'online') return Promise.reject(new GatewayError('offline'));
    const full = { ...frame, id: this.o.newId() } as ClientFrame;
    const tooBig = this.checkSize(full);
    if (tooBig) return Promise.reject(tooBig);
    const waiter = deferred<ServerFrame>();
    this.pending.set(full.id, waiter);
    this.write(full);
    return waiter.promise as Promise<T>;
  }

  /** Sends a frame that has no reply (`typing.start`); dropped when not connected. */
  fire(frame: DistributiveOmit<Exclude<ClientFrame, SendMessage>, 'id'>): void {
    if (this.status === 'online') this.write({ ...frame, id: this.o.newId() } as ClientFrame);
  }

  /**
   * Fetches a room's messages after `afterSeq` (`message.sync`), page by page while `hasMore`. Every page
   * also reaches the frame listeners. A sync of a room already running is joined, not repeated.
   */
  sync(roomId: string, afterSeq: number): Promise<void> {
    const running = this.syncing.get(roomId);
    if (running) return running;
    const run = (async () => {
      let after = afterSeq;
      for (;;) {
        const page = await this.request<MessagePage>({ type: 'message.sync', roomId, afterSeq: after, limit: this.o.syncLimit });
        const last = page.messages.at(-1)?.seq;
        if (!page.hasMore || last === undefined || last <= after) return;
        after = last;
      }
    })().finally(() => this.syncing.delete(roomId));
    this.syncing.set(roomId, run);
    return run;
  }

  private async connect(): Promise<void> {
    this.retryDelayMs = null;
    this.setStatus('connecting');
    let url: string;
    let token: string;
    try {
      url = await this.o.url();
      token = this.needFreshToken ? await this.o.tokens.refresh() : await this.o.tokens.token();
    } catch (e) {
      if (this.stopped) return;
      if (isSessionEnded(e)) {
        this.signedOut();
        return;
      }
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    this.needFreshToken = false;
    let socket: SocketLike;
    try {
      socket = this.o.createSocket(url, [SUBPROTOCOL]);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.connection = { url, token };
    this.nonce = null;
    // The server speaks first (`hello` with the nonce); authenticate answers it.
    socket.onopen = () => this.setStatus('authenticating');
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') this.receive(event.data);
    };
    socket.onclose = (event) => this.closed(socket, event.code, event.reason);
    socket.onerror = () => {};
  }

  private receive(text: string): void {
    this.lastReceivedAt = Date.now();
    const decoded = decodeServerFrame(text);
    if (!decoded.ok) return;
    const frame = decoded.frame;
    if (frame.type === 'hello') {
      this.nonce = frame.nonce;
      if (!this.session && this.authId === null && this.connection) void this.authenticate(this.connection.token);
    } else if (frame.type === 'device.revoked') {
      this.revoked();
      return;
    } else if (frame.type === 'session.ready' && frame.re === this.authId) {
      this.nonce = frame.nonce;
      this.ready(frame);
    } else if (frame.type === 'message.ack') {
      const entry = this.outbox.get(frame.re);
      if (entry) {
        this.outbox.delete(frame.re);
        entry.waiter.resolve(frame);
      }
    } else if (frame.type === 'error' && frame.re) {
      this.failed(frame);
    } else if ('re' in frame && typeof frame.re === 'string') {
      const waiter = this.pending.get(frame.re);
      this.pending.delete(frame.re);
      waiter?.resolve(frame);
    }
    for (const listener of [...this.frameListeners]) listener(frame);
  }

  /** Sends `session.authenticate` with a proof over the current nonce, unless the connection changed meanwhile. */
  private async authenticate(token: string): Promise<void> {
    const socket = this.socket;
    const connection = this.connection;
    if (!socket || !connection) return;
    let proof: string;
    try {
      proof = await this.o.proof(connection.url, token, this.nonce ?? '');
    } catch {
      // No device key in memory to sign with: this page cannot use the gateway; sign in again.
      if (socket !== this.socket || this.stopped) return;
      this.signedOut('device_key_missing');
      detach(socket);
      this.socket = null;
      socket.close(1000, 'signed_out');
      return;
    }
    if (socket !== this.socket || this.stopped) return;
    this.authId = this.o.newId();
    this.write({ type: 'session.authenticate', id: this.authId, token, proof });
  }

  private ready(frame: SessionReady): void {
    const again = this.session !== null;
    this.session = frame;
    this.attempt = 0;
    this.closeReason = null;
    this.scheduleReauth(frame);
    if (again) {
      for (const listener of [...this.readyListeners]) listener(frame, true);
      return;
    }
    this.setStatus('online');
    for (const { frame: send } of this.outbox.values()) this.write(send);
    for (const { roomId, afterSeq } of this.o.syncPoints()) {
      this.sync(roomId, afterSeq).catch((e: unknown) => this.o.onSyncError(roomId, e));
    }
    for (const listener of [...this.readyListeners]) listener(frame, false);
  }

  private failed(frame: ErrorReply): void {
    const re = frame.re as string;
    const error = GatewayError.from(frame);
    if (re === this.authId) {
      // A refused re-authentication: the server closes the connection next (4001/4003).
      return;
    }
    const send = this.outbox.get(re);
    if (send) {
      if (error.retryable && send.retries < MAX_SEND_RETRIES) {
        // rate_limited, server_busy, database_unavailable, internal_error: the same frame again (same id, so never twice) a bit later.
        send.retries += 1;
        const delay = Math.round(MIN_BACKOFF_MS * 2 ** (send.retries - 1) * (0.5 + this.o.random() / 2));
        this.o.setTimeout(() => {
          if (this.outbox.get(re) === send && this.status === 'online') this.write(send.frame);
        }, delay);
        return;
      }
      this.outbox.delete(re);
      send.waiter.reject(error);
      return;
    }
    const waiter = this.pending.get(re);
    this.pending.delete(re);
    waiter?.reject(error);
  }

  private closed(socket: SocketLike, code: number, reason: string): void {
    if (socket !== this.socket) return;
    detach(socket);
    this.socket = null;
    this.session = null;
    this.authId = null;
    this.clearTimers();
    this.failPending('disconnected');
    if (this.stopped) return;
    if (code === 4004) {
      this.revoked();
      return;
    }
    if (code === 4003) {
      this.signedOut(reason);
      return;
    }
    if (code === 1003 || code === 1008 || code === 1009) {
      // "Fix the client": reconnecting would repeat the same mistake. The user may retry by hand.
      this.closeReason = reason || String(code);
      this.setStatus('failed');
      return;
    }
    if (code === 4001) this.needFreshToken = true;
    this.scheduleReconnect();
  }

  /** The device was revoked (`device.revoked`, 4004): never reconnect; the wipe takes over. Runs once. */
  private revoked(): void {
    if (this.status === 'revoked') return;
    this.closeReason = 'device_revoked';
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    this.session = null;
    if (socket) {
      detach(socket);
      try {
        socket.close(1000, 'device_revoked');
      } catch {
        // already closing
      }
    }
    this.failPending('stopped');
    for (const { waiter } of this.outbox.values()) waiter.reject(new GatewayError('device_revoked'));
    this.outbox.clear();
    this.setStatus('revoked');
    this.o.onRevoked();
  }

  private signedOut(reason?: string): void {
    this.closeReason = reason || 'account_disabled';
    this.stopped = true;
    this.clearTimers();
    this.setStatus('signedOut');
  }

  private scheduleReconnect(): void {
    const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** this.attempt);
    const delay = Math.round(base * (0.5 + this.o.random() / 2));
    this.attempt += 1;
    this.retryDelayMs = delay;
    this.setStatus('waiting');
    this.retryTimer = this.o.setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  /** Authenticates again a minute before the token expires (half its life when that is short). */
  private scheduleReauth(ready: SessionReady): void {
    if (this.reauthTimer !== null) this.o.clearTimeout(this.reauthTimer);
    const lifeMs = Date.parse(ready.tokenExpiresAt) - Date.parse(ready.serverTime);
    if (!Number.isFinite(lifeMs)) return;
    const delay = lifeMs > 2 * REAUTH_MARGIN_MS ? lifeMs - REAUTH_MARGIN_MS : Math.max(1000, lifeMs / 2);
    this.reauthTimer = this.o.setTimeout(() => {
      this.reauthTimer = null;
      void this.reauthenticate();
    }, delay);
  }

  private async reauthenticate(): Promise<void> {
    const socket = this.socket;
    let token: string;
    try {
      token = await this.o.tokens.refresh();
    } catch (e) {
      if (this.stopped || socket !== this.socket) return;
      if (isSessionEnded(e)) {
        this.signedOut();
        socket?.close(1000, 'signed_out');
        return;
      }
      this.reauthTimer = this.o.setTimeout(() => {
        this.reauthTimer = null;
        void this.reauthenticate();
      }, REAUTH_RETRY_MS);
      return;
    }
    if (this.stopped || socket !== this.socket || this.status !== 'online') return;
    await this.authenticate(token);
  }

  private write(frame: ClientFrame): void {
    try {
      this.socket?.send(encodeClientFrame(frame));
    } catch {
      // The socket is closing; its close event follows and the outbox is sent again after reconnecting.
    }
  }

  private checkSize(frame: ClientFrame): GatewayError | null {
    const limit = this.session?.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    const bytes = new TextEncoder().encode(encodeClientFrame(frame)).length;
    return bytes > limit ? new GatewayError('frame_too_large') : null;
  }

  private failPending(code: 'disconnected' | 'stopped'): void {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const waiter of waiters) waiter.reject(new GatewayError(code));
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) this.o.clearTimeout(this.retryTimer);
    if (this.reauthTimer !== null) this.o.clearTimeout(this.reauthTimer);
    this.retryTimer = null;
    this.reauthTimer = null;
  }

  private setStatus(status: GatewayStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }
}

export const MIN_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 30_000;
const MAX_SEND_RETRIES = 4;
const REAUTH_MARGIN_MS = 60_000;
const REAUTH_RETRY_MS = 10_000;
const DEFAULT_MAX_FRAME_BYTES = 65_536;

/**
 * - `idle`: not started or stopped
 * - `connecting`: fetching the gateway address and a token, opening the socket
 * - `authenticating`: open, waiting for `session.ready`
 * - `online`: authenticated
 * - `waiting`: closed, reconnecting after `retryDelayMs`
 * - `failed`: closed for a client error (1003/1008/1009); `reconnectNow()` tries again
 * - `signedOut`: closed with 4003 or the session could not be refreshed: sign in again
 * - `revoked`: this device was revoked (`device.revoked`, 4004): the remote wipe follows
 */
export type GatewayStatus = 'idle' | 'connecting' | 'authenticating' | 'online' | 'waiting' | 'failed' | 'signedOut'
  | 'revoked';

/** A refused request (the server's `error` frame) or a client-side failure. */
export class GatewayError extends Error {
  constructor(
    readonly code: string,
    readonly reply: ErrorReply | null = null,
  ) {
    super(reply?.message ?? code);
    this.name = 'GatewayError';
  }

  get retryable(): boolean {
    return this.reply ? this.reply.retryable : this.code === 'offline' || this.code === 'disconnected';
  }

  static from(reply: ErrorReply): GatewayError {
    return new GatewayError(reply.code, reply);
  }
}

export function isGatewayError(e: unknown, code?: string): e is GatewayError {
  return e instanceof GatewayError && (code === undefined || e.code === code);
}

/** The small part of `WebSocket` the gateway uses. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** Where access tokens come from (the HTTP client). */
export interface TokenSource {
  /** A token valid for a while yet. */
  token(): Promise<string>;
  /** A newly issued token. Rejects with a session-ended error when the refresh token is gone. */
  refresh(): Promise<string>;
}

type TimerId = unknown;

export interface GatewayOptions {
  /** The gateway's WebSocket URL. */
  url: () => Promise<string>;
  tokens: TokenSource;
  /** Signs the DPoP proof of `session.authenticate`: `GET` of `url`, with `ath` of `token` and the `nonce`. */
  proof: (url: string, token: string, nonce: string) => Promise<string>;
  /** This device was revoked: wipe. Called once. */
  onRevoked?: () => void;
  createSocket?: (url: string, protocols: string[]) => SocketLike;
  /** The rooms to resume after each new connection, each from the last seq held. */
  syncPoints?: () => { roomId: string; afterSeq: number }[];
  /** A resume sync failed, e.g. with `invalid_seq` (the held messages are from the future: read the room again). */
  onSyncError?: (roomId: string, error: unknown) => void;
  setTimeout?: (fn: () => void, ms: number) => TimerId;
  clearTimeout?: (id: TimerId) => void;
  random?: () => number;
  newId?: () => string;
  /** Messages per `message.sync` page. */
  syncLimit?: number;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Waiter<T = ServerFrame> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Waiter<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

function add<T>(set: Set<T>, item: T): () => void {
  set.add(item);
  return () => set.delete(item);
}

function detach(socket: SocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}

/** Whether a token failure means the session is over (the refresh cookie is gone), not a network hiccup. */
function isSessionEnded(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'refresh_invalid' || code === 'account_disabled' || code === 'dpop_invalid' || code === 'device_revoked';
}

/**
 * A random UUID (v4) for request ids and idempotency keys. Uses `getRandomValues`, which, unlike
 * `crypto.randomUUID`, also works on plain-HTTP intranet pages.
 */
export function newId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
