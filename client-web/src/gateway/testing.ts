/** Test doubles for the gateway (used by the unit tests only). */
import type { SocketLike } from './connection';
import type { ClientFrame } from './frames';

/** A WebSocket stand-in: records what the client sends; the test plays the server. */
export class FakeSocket implements SocketLike {
  sent: ClientFrame[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string, readonly protocols: string[]) {}

  /** Answers frames by itself when it returns a reply (e.g. `ok` to `presence.set`). */
  autoReply: ((frame: ClientFrame) => object | null) | null = null;

  send(data: string): void {
    const frame = JSON.parse(data) as ClientFrame;
    this.sent.push(frame);
    const reply = this.autoReply?.(frame);
    if (reply) queueMicrotask(() => this.push(reply));
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
  }

  /** Opens the socket; the server speaks first, with `hello` and a nonce. */
  open(nonce = 'nonce-0'): void {
    this.onopen?.({});
    this.push({ type: 'hello', nonce });
  }

  push(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  serverClose(code: number, reason = ''): void {
    this.onclose?.({ code, reason });
  }

  last<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }> {
    const found = this.sent.filter((f) => f.type === type).at(-1);
    if (!found) throw new Error(`no ${type} sent; sent: ${this.sent.map((f) => f.type).join(', ')}`);
    return found as Extract<ClientFrame, { type: T }>;
  }

  /** Answers the last `session.authenticate` with `session.ready` (whose nonce is for the next one). */
  ready(lifeSeconds = 300, nonce = 'nonce-next'): void {
    const auth = this.last('session.authenticate');
    this.push({
      type: 'session.ready', re: auth.id, connectionId: 'c-1', userId: '11', orgId: '1',
      serverTime: '2026-11-26T05:00:00Z', tokenExpiresAt: new Date(Date.parse('2026-11-26T05:00:00Z') + lifeSeconds * 1000).toISOString(),
      maxFrameBytes: 65536, nonce,
    });
  }
}

