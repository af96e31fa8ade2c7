/**
 * Checks a draft while it is typed (`POST …/messages/check`, POLICY.md "Checking a draft"): once the text has
 * not changed for `delayMs`, one request; a newer text cancels the request still running for an older one, and
 * an answer for a text that is no longer the draft is never reported. Failures are silent (the result is
 * `null`: nothing to say); typing is never held up.
 */
import type { CheckResult } from '../api/policy';

/** How long the text must rest before it is checked. */
export const CHECK_DELAY_MS = 400;
/** Longest wait for a check at send time before the message goes without one. */
export const SEND_CHECK_TIMEOUT_MS = 1_000;

type TimerId = unknown;

export interface DraftCheckerOptions {
  delayMs?: number;
  setTimeout?: (fn: () => void, ms: number) => TimerId;
  clearTimeout?: (id: TimerId) => void;
}

export class DraftChecker {
  /** Called with the draft's result when it arrives (null: empty draft, or the check failed). */
  onResult: (text: string, result: CheckResult | null) => void = () => {};

  private timer: TimerId | null = null;
  private running: { text: string; controller: AbortController; promise: Promise<CheckResult | null> } | null = null;
  private last: { text: string; result: CheckResult | null } | null = null;
  private draft = '';
  private stopped = false;
  private readonly delayMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => TimerId;
  private readonly clearTimer: (id: TimerId) => void;

  constructor(
    private readonly check: (text: string, signal: AbortSignal) => Promise<CheckResult>,
    options: DraftCheckerOptions = {},
  ) {
    this.delayMs = options.delayMs ?? CHECK_DELAY_MS;
    this.setTimer = options.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
    this.clearTimer = options.clearTimeout ?? ((id) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>));
  }

  /** The draft is now `text`: check it once it rests. A blank draft is not checked (its result is null at once). */
  update(text: string): void {
    if (this.stopped || text === this.draft) return;
    this.draft = text;
    this.cancelTimer();
    if (this.running && this.running.text !== text) this.abortRunning();
    if (!text.trim()) {
      this.remember(text, null);
      return;
    }
    if (this.last?.text === text || this.running?.text === text) return;
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.run(text);
    }, this.delayMs);
  }

  /** The known result for exactly this text: a result, null (checked, nothing to say or failed), or undefined. */
  known(text: string): CheckResult | null | undefined {
    return this.last?.text === text ? this.last.result : undefined;
  }

  /**
   * The result for `text` now (at send time): the known one, the one on its way, or a new check at once;
   * null when it fails or takes longer than `timeoutMs`.
   */
  async now(text: string, timeoutMs = SEND_CHECK_TIMEOUT_MS): Promise<CheckResult | null> {
    const known = this.known(text);
    if (known !== undefined) return known;
    if (this.stopped || !text.trim()) return null;
    this.draft = text;
    this.cancelTimer();
    const promise = this.running?.text === text ? this.running.promise : this.run(text);
    let timer: TimerId | null = null;
    const timeout = new Promise<null>((resolve) => {
      timer = this.setTimer(() => resolve(null), timeoutMs);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      if (timer !== null) this.clearTimer(timer);
    }
  }

  /** The room's policy changed: results known so far may be wrong; the draft is checked again. */
  invalidate(): void {
    if (this.stopped) return;
    this.last = null;
    this.abortRunning();
    const text = this.draft;
    this.draft = '';
    this.update(text);
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    this.abortRunning();
  }

  private run(text: string): Promise<CheckResult | null> {
    this.abortRunning();
    const controller = new AbortController();
    const promise = this.check(text, controller.signal).then(
      (result) => result,
      () => null,
    ).then((result) => {
      if (this.running?.controller === controller) this.running = null;
      // A cancelled or outdated answer says nothing about the draft.
      if (controller.signal.aborted || this.stopped) return result;
      this.remember(text, result);
      return result;
    });
    this.running = { text, controller, promise };
    return promise;
  }

  private remember(text: string, result: CheckResult | null): void {
    this.last = { text, result };
    if (text === this.draft) this.onResult(text, result);
  }

  private abortRunning(): void {
    const running = this.running;
    this.running = null;
    running?.controller.abort();
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }
}
