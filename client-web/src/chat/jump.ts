/**
 * Opening a room at one message (a search hit): which page of history to read next so that the message is held,
 * as a pure function of what the room holds. `Chat.openAt` runs the steps.
 *
 * The held messages stay one consecutive run (store.ts), which the gateway's resume and gap filling rely on. So
 * a message a little older (or newer) than what is held is reached by reading the pages in between; only a
 * message farther away than `JUMP_FILL_MAX` replaces what is held with a window around it (older and newer pages
 * are then read as the reader scrolls, or by the gap filling when something new arrives).
 */
import type { RoomState } from './store';

/** Messages shown on either side of the target, at least, where the room has them. */
export const JUMP_CONTEXT = 25;
/** Farthest distance (in messages) read page by page; farther, the room holds a window around the target. */
export const JUMP_FILL_MAX = 2_000;
/** Largest page the messages API gives. */
export const MAX_PAGE = 500;

export type JumpStep =
  /** The message is held: scroll to it. */
  | { kind: 'held' }
  /** It cannot be held: deleted for good (purged) or beyond the room's messages. */
  | { kind: 'missing' }
  /** Read older history (`beforeSeq`), extending the held run down to the target and some before it. */
  | { kind: 'older'; beforeSeq: number; limit: number }
  /** Read newer history (`afterSeq`), extending the held run up to the target and some after it. */
  | { kind: 'newer'; afterSeq: number; limit: number }
  /** Forget what is held and read the page around the target (`afterSeq`). */
  | { kind: 'window'; afterSeq: number; limit: number };

type Held = Pick<RoomState, 'messages' | 'syncedSeq' | 'reachedStart' | 'lastSeq'>;

export function jumpStep(room: Held, seq: number): JumpStep {
  const messages = room.messages;
  if (messages.some((m) => m.seq === seq)) return { kind: 'held' };
  if (room.lastSeq > 0 && seq > room.lastSeq) return { kind: 'missing' };
  const window = (): JumpStep => ({ kind: 'window', afterSeq: Math.max(0, seq - JUMP_CONTEXT - 1), limit: 2 * JUMP_CONTEXT + 1 });
  if (messages.length === 0) return window();
  const oldest = messages[0].seq;
  if (seq < oldest) {
    if (room.reachedStart) return { kind: 'missing' };
    const distance = oldest - seq;
    if (distance > JUMP_FILL_MAX) return window();
    return { kind: 'older', beforeSeq: oldest, limit: Math.min(MAX_PAGE, distance + JUMP_CONTEXT) };
  }
  // Every seq from the oldest held up to `syncedSeq` is held, so the server no longer has this one.
  if (seq <= room.syncedSeq) return { kind: 'missing' };
  const distance = seq - room.syncedSeq;
  if (distance > JUMP_FILL_MAX) return window();
  return { kind: 'newer', afterSeq: room.syncedSeq, limit: Math.min(MAX_PAGE, distance + JUMP_CONTEXT) };
}
