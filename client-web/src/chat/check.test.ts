import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckResult } from '../api/policy';
import { CHECK_DELAY_MS, DraftChecker } from './check';

const result = (verdict: CheckResult['verdict']): CheckResult => ({ verdict, class: 'I', ceiling: 'II', emergency: false, findings: [] });

/** A check endpoint the test answers by hand: every call waits until `answer` or `fail`. */
function server() {
  const calls: { text: string; signal: AbortSignal; resolve: (r: CheckResult) => void; reject: (e: unknown) => void }[] = [];
  const check = vi.fn((text: string, signal: AbortSignal) => new Promise<CheckResult>((resolve, reject) => {
    calls.push({ text, signal, resolve, reject });
  }));
  return { calls, check };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DraftChecker', () => {
  it('checks once the text has rested, not on every key', async () => {
    const { calls, check } = server();
    const checker = new DraftChecker(check);
    const seen: [string, CheckResult | null][] = [];
    checker.onResult = (text, r) => seen.push([text, r]);
    for (const text of ['マ', 'マイ', 'マイナンバー', 'マイナンバーは 1234 5678 9018']) {
      checker.update(text);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(calls.map((c) => c.text)).toEqual(['マイナンバーは 1234 5678 9018']);
    calls[0].resolve(result('block'));
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([['マイナンバーは 1234 5678 9018', result('block')]]);
    expect(checker.known('マイナンバーは 1234 5678 9018')).toEqual(result('block'));
    expect(checker.known('マイナンバー')).toBeUndefined();
  });

  it('cancels the request for an older text and never reports its answer', async () => {
    const { calls, check } = server();
    const checker = new DraftChecker(check);
    const seen: string[] = [];
    checker.onResult = (text) => seen.push(text);
    checker.update('202610160001');
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(calls).toHaveLength(1);
    checker.update('202610160001 の件');
    expect(calls[0].signal.aborted).toBe(true);
    calls[0].resolve(result('warn'));
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    calls[1].resolve(result('allow'));
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['202610160001 の件']);
  });

  it('is silent when the check fails, and does not check blank drafts', async () => {
    const { calls, check } = server();
    const checker = new DraftChecker(check);
    const seen: [string, CheckResult | null][] = [];
    checker.onResult = (text, r) => seen.push([text, r]);
    checker.update('abc');
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    calls[0].reject(new Error('network'));
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([['abc', null]]);
    checker.update('   ');
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(calls).toHaveLength(1);
    expect(seen.at(-1)).toEqual(['   ', null]);
  });

  it('at send time uses the known result, joins the running check, or checks at once', async () => {
    const { calls, check } = server();
    const checker = new DraftChecker(check);
    // Nothing known: a check at once, without the delay.
    const first = checker.now('202610160001');
    expect(calls.map((c) => c.text)).toEqual(['202610160001']);
    calls[0].resolve(result('warn'));
    await expect(first).resolves.toEqual(result('warn'));
    // Known: no request.
    await expect(checker.now('202610160001')).resolves.toEqual(result('warn'));
    expect(calls).toHaveLength(1);
    // Running for the same text: joined.
    checker.update('明日訪問します');
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    const joined = checker.now('明日訪問します');
    expect(calls).toHaveLength(2);
    calls[1].resolve(result('allow'));
    await expect(joined).resolves.toEqual(result('allow'));
  });

  it('gives up waiting at send time after the timeout', async () => {
    const { check } = server();
    const checker = new DraftChecker(check);
    const slow = checker.now('slow', 1000);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(slow).resolves.toBeNull();
  });

  it('checks the draft again when the room policy changes', async () => {
    const { calls, check } = server();
    const checker = new DraftChecker(check);
    checker.update('マイナンバーは 1234 5678 9018');
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    calls[0].resolve(result('block'));
    await vi.advanceTimersByTimeAsync(0);
    checker.invalidate();
    expect(checker.known('マイナンバーは 1234 5678 9018')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
    expect(calls).toHaveLength(2);
  });

  it('does nothing once stopped', async () => {
    const { calls, check } = server();
    const checker = new DraftChecker(check);
    checker.update('abc');
    checker.stop();
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS * 2);
    expect(calls).toHaveLength(0);
    await expect(checker.now('abc')).resolves.toBeNull();
  });
});
