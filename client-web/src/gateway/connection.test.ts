import { describe, expect, it } from 'vitest';
import { Gateway, GatewayError, isGatewayError, newId, type GatewayOptions } from './connection';
import type { MessageView, SendMessage } from './frames';
import { FakeSocket } from './testing';

/** Timers that run only when the test says so. */
class ManualTimers {
  now = 0;
  private next = 1;
  private timers = new Map<number, { at: number; fn: () => void; ms: number }>();

  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn, ms });
    return id;
  };

  clearTimeout = (id: unknown) => {
    this.timers.delete(id as number);
  };

  /** The delays of the timers now waiting. */
  delays(): number[] {
    return [...this.timers.values()].map((t) => t.ms);
  }

  /** Moves time forward, running due timers in order. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await flush();
    }
    this.now = until;
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function message(roomId: string, seq: number): MessageView {
  return {
    id: String(1000 + seq), roomId, seq, senderId: '12', senderName: '佐藤', text: `m${seq}`, sentAt: '2026-11-26T05:00:00Z',
    editedAt: null, deleted: false, replyTo: null, mentions: [], mentionAll: false, reactions: [],
  };
}

function setup(options: Partial<GatewayOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const timers = new ManualTimers();
  const tokens = { issued: 0, refreshes: 0, failRefresh: null as unknown };
  let ids = 0;
  const gateway = new Gateway({
    url: async () => 'ws://chat.example:8081/ws',
    proof: async (url, token, nonce) => `proof(${url},${token},${nonce})`,
    tokens: {
      token: async () => `token-${tokens.issued}`,
      refresh: async () => {
        tokens.refreshes += 1;
        if (tokens.failRefresh) throw tokens.failRefresh;
        tokens.issued += 1;
        return `token-${tokens.issued}`;
      },
    },
    createSocket: (url, protocols) => {
      const socket = new FakeSocket(url, protocols);
      sockets.push(socket);
      return socket;
    },
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    random: () => 1,
    newId: () => `r${++ids}`,
    ...options,
  } as GatewayOptions);
  const socket = () => sockets.at(-1)!;
  /** Starts (or waits for the reconnect) and completes the handshake. */
  async function connect() {
    await flush();
    socket().open();
    await flush();
    socket().ready();
    await flush();
  }
  return { gateway, sockets, socket, timers, tokens, connect };
}

const send = (id: string, text = 'お疲れさまです'): SendMessage => ({ type: 'message.send', id, roomId: '7', text });

describe('Gateway', () => {
  it('offers kairan.v1 and authenticates before anything else', async () => {
    const { gateway, socket, connect } = setup();
    const statuses: string[] = [];
    gateway.onStatus((s) => statuses.push(s));
    gateway.start();
    void gateway.sendMessage(send('s-1'));
    await connect();
    expect(socket().url).toBe('ws://chat.example:8081/ws');
    expect(socket().protocols).toEqual(['kairan.v1']);
    expect(socket().sent.map((f) => f.type)).toEqual(['session.authenticate', 'message.send']);
    expect(socket().sent[0]).toMatchObject({ token: 'token-0' });
    expect(statuses).toEqual(['connecting', 'authenticating', 'online']);
    expect(gateway.session?.userId).toBe('11');
  });

  it('sends unacknowledged messages again with the same id after a reconnect', async () => {
    const { gateway, sockets, socket, timers, connect } = setup();
    gateway.start();
    await connect();
    const first = gateway.sendMessage(send('s-1', 'one'));
    const second = gateway.sendMessage(send('s-2', 'two'));
    socket().push({ type: 'message.ack', re: 's-1', roomId: '7', messageId: '900', seq: 41, sentAt: '2026-11-26T05:00:01Z', duplicate: false });
    await expect(first).resolves.toMatchObject({ seq: 41 });
    socket().serverClose(1006);
    expect(gateway.status).toBe('waiting');
    await timers.advance(1000);
    await connect();
    expect(sockets).toHaveLength(2);
    const resent = socket().sent.filter((f) => f.type === 'message.send');
    expect(resent).toEqual([send('s-2', 'two')]);
    expect(gateway.isUnacked('s-2')).toBe(true);
    socket().push({ type: 'message.ack', re: 's-2', roomId: '7', messageId: '901', seq: 42, sentAt: '2026-11-26T05:00:02Z', duplicate: true });
    await expect(second).resolves.toMatchObject({ seq: 42, duplicate: true });
    expect(gateway.isUnacked('s-2')).toBe(false);
  });

  it('sends message.sync for each known room after session.ready and follows hasMore', async () => {
    const { gateway, socket, timers, connect } = setup({
      syncPoints: () => [{ roomId: '7', afterSeq: 40 }, { roomId: '8', afterSeq: 3 }],
      syncLimit: 2,
    });
    const pages: string[] = [];
    gateway.onFrame((f) => {
      if (f.type === 'message.page') pages.push(`${f.roomId}:${f.messages.map((m) => m.seq).join(',')}`);
    });
    gateway.start();
    await connect();
    const syncs = () => socket().sent.filter((f) => f.type === 'message.sync');
    expect(syncs()).toEqual([
      { type: 'message.sync', id: expect.any(String), roomId: '7', afterSeq: 40, limit: 2 },
      { type: 'message.sync', id: expect.any(String), roomId: '8', afterSeq: 3, limit: 2 },
    ]);
    const [s7, s8] = syncs();
    socket().push({ type: 'message.page', re: s7.id, roomId: '7', messages: [message('7', 41), message('7', 42)], hasMore: true, lastSeq: 43 });
    socket().push({ type: 'message.page', re: s8.id, roomId: '8', messages: [], hasMore: false, lastSeq: 3 });
    await flush();
    expect(syncs().at(-1)).toMatchObject({ roomId: '7', afterSeq: 42 });
    socket().push({ type: 'message.page', re: syncs().at(-1)!.id, roomId: '7', messages: [message('7', 43)], hasMore: false, lastSeq: 43 });
    await flush();
    expect(syncs()).toHaveLength(3);
    expect(pages).toEqual(['7:41,42', '8:', '7:43']);

    // and again after every new connection
    socket().serverClose(4008, 'slow_consumer');
    await timers.advance(1000);
    await connect();
    expect(syncs().map((f) => f.roomId)).toEqual(['7', '8']);
  });

  it('backs off 1 s doubling to 30 s, with jitter, and starts over after a session', async () => {
    const randoms = [1, 1, 1, 1, 1, 1, 1, 0];
    const { gateway, socket, timers, connect } = setup({ random: () => randoms.shift() ?? 1 });
    gateway.start();
    await flush();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      socket().serverClose(1006);
      delays.push(gateway.retryDelayMs!);
      await timers.advance(gateway.retryDelayMs!);
      await flush();
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 15000]);
    await connect();
    socket().serverClose(1001, 'shutting_down');
    expect(gateway.retryDelayMs).toBe(1000);
  });

  it('jitters each delay between half and all of it', async () => {
    const { gateway, socket } = setup({ random: () => 0.5 });
    gateway.start();
    await flush();
    socket().serverClose(1006);
    expect(gateway.retryDelayMs).toBe(750);
  });

  it('refreshes the token before reconnecting after 4001', async () => {
    const { gateway, socket, timers, tokens, connect } = setup();
    gateway.start();
    await connect();
    socket().serverClose(4001, 'token_expired');
    await timers.advance(1000);
    await connect();
    expect(tokens.refreshes).toBe(1);
    expect(socket().sent[0]).toMatchObject({ type: 'session.authenticate', token: 'token-1' });
  });

  it('stops and reports signedOut on 4003', async () => {
    const { gateway, socket, timers, connect, sockets } = setup();
    gateway.start();
    await connect();
    socket().serverClose(4003, 'account_disabled');
    expect(gateway.status).toBe('signedOut');
    expect(gateway.closeReason).toBe('account_disabled');
    await timers.advance(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('reports signedOut when the token cannot be refreshed any more', async () => {
    const { gateway, socket, timers, tokens, connect } = setup();
    gateway.start();
    await connect();
    tokens.failRefresh = { code: 'refresh_invalid' };
    socket().serverClose(4001, 'token_expired');
    await timers.advance(1000);
    expect(gateway.status).toBe('signedOut');
  });

  it('authenticates again with a fresh token a minute before the token expires', async () => {
    const { gateway, socket, timers, tokens, connect } = setup();
    gateway.start();
    await connect();
    const again: boolean[] = [];
    gateway.onReady((_, a) => again.push(a));
    expect(timers.delays()).toEqual([240_000]);
    await timers.advance(240_000);
    const auth = socket().last('session.authenticate');
    expect(auth.token).toBe('token-1');
    expect(tokens.refreshes).toBe(1);
    socket().ready();
    expect(again).toEqual([true]);
    expect(gateway.status).toBe('online');
    expect(socket().sent.filter((f) => f.type === 'message.sync')).toEqual([]);
  });

  it('drops a connection on request (the network went away) and reconnects with backoff', async () => {
    const { gateway, socket, sockets, timers, connect } = setup();
    gateway.start();
    await connect();
    const pendingSend = gateway.sendMessage(send('s-1'));
    const old = socket();
    gateway.drop();
    expect(old.closedWith).toEqual({ code: 4000, reason: 'client_dropped' });
    expect(gateway.status).toBe('waiting');
    await timers.advance(1000);
    await connect();
    expect(sockets).toHaveLength(2);
    expect(socket().sent.filter((f) => f.type === 'message.send')).toEqual([send('s-1')]);
    socket().push({ type: 'message.ack', re: 's-1', roomId: '7', messageId: '9', seq: 1, sentAt: '2026-11-26T05:00:00Z', duplicate: false });
    await expect(pendingSend).resolves.toMatchObject({ seq: 1 });
  });

  it('answers requests by re and fails them when the connection drops', async () => {
    const { gateway, socket, connect } = setup();
    await expect(gateway.request({ type: 'receipt.read', roomId: '7', seq: 3 })).rejects.toSatisfy((e) => isGatewayError(e, 'offline'));
    gateway.start();
    await connect();
    const read = gateway.request({ type: 'receipt.read', roomId: '7', seq: 3 });
    const edit = gateway.request({ type: 'message.edit', roomId: '7', messageId: '5', text: 'x' });
    const [r, e] = socket().sent.slice(-2);
    socket().push({ type: 'ok', re: r.id });
    socket().push({ type: 'error', re: e.id, code: 'forbidden', message: 'no', messageJa: 'いいえ', retryable: false, detail: null });
    await expect(read).resolves.toEqual({ type: 'ok', re: r.id });
    const error = await edit.catch((x: unknown) => x);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'forbidden' });
    const hanging = gateway.request({ type: 'receipt.read', roomId: '7', seq: 4 });
    socket().serverClose(1006);
    await expect(hanging).rejects.toSatisfy((x) => isGatewayError(x, 'disconnected'));
  });

  it('rejects a send the server refuses, and retries a rate-limited one with the same id', async () => {
    const { gateway, socket, timers, connect } = setup();
    gateway.start();
    await connect();
    const refused = gateway.sendMessage(send('s-1'));
    socket().push({ type: 'error', re: 's-1', code: 'room_archived', message: 'a', messageJa: 'a', retryable: false });
    await expect(refused).rejects.toMatchObject({ code: 'room_archived' });
    const limited = gateway.sendMessage(send('s-2'));
    socket().push({ type: 'error', re: 's-2', code: 'rate_limited', message: 'r', messageJa: 'r', retryable: true });
    await timers.advance(1000);
    expect(socket().sent.filter((f) => f.type === 'message.send' && f.id === 's-2')).toHaveLength(2);
    socket().push({ type: 'message.ack', re: 's-2', roomId: '7', messageId: '9', seq: 1, sentAt: '2026-11-26T05:00:00Z', duplicate: false });
    await expect(limited).resolves.toMatchObject({ seq: 1 });
  });

  it('refuses a frame larger than the server accepts instead of sending it', async () => {
    const { gateway, socket, connect } = setup();
    gateway.start();
    await connect();
    await expect(gateway.sendMessage(send('big', 'あ'.repeat(30_000)))).rejects.toMatchObject({ code: 'frame_too_large' });
    expect(socket().sent.filter((f) => f.type === 'message.send')).toEqual([]);
  });

  it('waits for hello and signs the proof over its nonce, then over the nonce of each session.ready', async () => {
    const { gateway, socket, timers } = setup();
    gateway.start();
    await flush();
    socket().onopen?.({});
    await flush();
    expect(socket().sent).toEqual([]);
    expect(gateway.status).toBe('authenticating');
    socket().push({ type: 'hello', nonce: 'n-1' });
    await flush();
    expect(socket().sent[0]).toMatchObject({
      type: 'session.authenticate', token: 'token-0', proof: 'proof(ws://chat.example:8081/ws,token-0,n-1)',
    });
    socket().ready(300, 'n-2');
    await flush();
    expect(gateway.status).toBe('online');
    await timers.advance(240_000);
    expect(socket().last('session.authenticate')).toMatchObject({ token: 'token-1', proof: 'proof(ws://chat.example:8081/ws,token-1,n-2)' });
  });

  it('stops for good on device.revoked and the 4004 close that follows, and tells onRevoked once', async () => {
    let revoked = 0;
    const { gateway, sockets, socket, timers, connect } = setup({ onRevoked: () => { revoked += 1; } });
    gateway.start();
    await connect();
    const pending = gateway.sendMessage(send('s-1'));
    socket().push({ type: 'device.revoked', wipe: true });
    expect(gateway.status).toBe('revoked');
    expect(gateway.closeReason).toBe('device_revoked');
    await expect(pending).rejects.toMatchObject({ code: 'device_revoked' });
    socket().serverClose(4004, 'device_revoked');
    await timers.advance(60_000);
    expect(sockets).toHaveLength(1);
    expect(revoked).toBe(1);
  });

  it('treats a 4004 close without the frame as a revocation too', async () => {
    let revoked = 0;
    const { gateway, sockets, socket, timers, connect } = setup({ onRevoked: () => { revoked += 1; } });
    gateway.start();
    await connect();
    socket().serverClose(4004, 'device_revoked');
    await timers.advance(60_000);
    expect(gateway.status).toBe('revoked');
    expect(sockets).toHaveLength(1);
    expect(revoked).toBe(1);
  });

  it('signs out when there is no device key to sign the proof with', async () => {
    const { gateway, socket } = setup({ proof: async () => { throw new Error('no key'); } });
    gateway.start();
    await flush();
    socket().open();
    await flush();
    expect(gateway.status).toBe('signedOut');
    expect(socket().sent).toEqual([]);
    expect(socket().closedWith).toEqual({ code: 1000, reason: 'signed_out' });
  });

  it('does not reconnect after stop, and ignores frames it cannot read', async () => {
    const { gateway, socket, sockets, timers, connect } = setup();
    const frames: string[] = [];
    gateway.onFrame((f) => frames.push(f.type));
    gateway.start();
    await connect();
    socket().onmessage?.({ data: 'not json' });
    socket().push({ type: 'future.event', x: 1 });
    socket().push({ type: 'typing.started', roomId: '7', userId: '12' });
    expect(frames).toEqual(['hello', 'session.ready', 'typing.started']);
    gateway.stop();
    expect(socket().closedWith).toEqual({ code: 1000, reason: 'client_closed' });
    await timers.advance(60_000);
    expect(sockets).toHaveLength(1);
    expect(gateway.status).toBe('idle');
  });
});

describe('Gateway defaults', () => {
  it('uses the browser WebSocket when createSocket is given as undefined', async () => {
    const opened: [string, string[]][] = [];
    class BrowserSocket extends FakeSocket {
      constructor(url: string, protocols: string[]) {
        super(url, protocols);
        opened.push([url, protocols]);
      }
    }
    const original = globalThis.WebSocket;
    globalThis.WebSocket = BrowserSocket as unknown as typeof WebSocket;
    try {
      const gateway = new Gateway({
        url: async () => 'ws://h:8081/ws', tokens: { token: async () => 't', refresh: async () => 't' }, createSocket: undefined,
        proof: async () => 'p',
      });
      gateway.start();
      await flush();
      expect(opened).toEqual([['ws://h:8081/ws', ['kairan.v1']]]);
      gateway.stop();
    } finally {
      globalThis.WebSocket = original;
    }
  });
});

describe('newId', () => {
  it('makes version 4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 50 }, newId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
