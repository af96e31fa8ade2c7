import type { Schemas } from '../api/client';

type TextSpan = Schemas['TextSpan'];

/** A run of a hit's text: plain, or one of the matched words (`mark`). */
export interface TextPart {
  text: string;
  mark: boolean;
}

/**
 * A hit's text cut at its `highlights` (UTF-16 `[start, end)` offsets), for rendering as text nodes and `<mark>`
 * elements — never as HTML. The server sends the spans sorted and apart; this copes with anything anyway:
 * spans out of range or empty are ignored, overlapping and touching ones are merged, and a span that would cut a
 * surrogate pair in half (an emoji, a rare kanji) is widened to the whole character.
 */
export function highlightParts(text: string, highlights: readonly TextSpan[]): TextPart[] {
  const spans = highlights
    .filter((s) => inRange(text, s))
    .map((s) => ({ start: widenStart(text, s.start), end: widenEnd(text, s.end) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: { start: number; end: number }[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  const parts: TextPart[] = [];
  let at = 0;
  for (const s of merged) {
    if (s.start > at) parts.push({ text: text.slice(at, s.start), mark: false });
    parts.push({ text: text.slice(s.start, s.end), mark: true });
    at = s.end;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), mark: false });
  return parts;
}

function inRange(text: string, s: TextSpan): boolean {
  return Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end > s.start && s.end <= text.length;
}

/** `start` moved back onto the high surrogate when it points between the two halves of a pair. */
function widenStart(text: string, start: number): number {
  return start > 0 && isLow(text.charCodeAt(start)) && isHigh(text.charCodeAt(start - 1)) ? start - 1 : start;
}

/** `end` moved past the low surrogate when it points between the two halves of a pair. */
function widenEnd(text: string, end: number): number {
  return end < text.length && isLow(text.charCodeAt(end)) && isHigh(text.charCodeAt(end - 1)) ? end + 1 : end;
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * A long text cut to about `maxUnits` UTF-16 units around its first highlight, with `…` where it was cut, and the
 * highlights moved to match (those cut off are clipped or dropped). Short texts are returned as they are.
 */
export function excerptAround(text: string, highlights: readonly TextSpan[], maxUnits = 240, lead = 40)
  : { text: string; highlights: TextSpan[] } {
  if (text.length <= maxUnits) return { text, highlights: [...highlights] };
  const valid = highlights.filter((s) => inRange(text, s));
  const first = valid.reduce<TextSpan | null>((a, s) => (a === null || s.start < a.start ? s : a), null);
  let from = Math.min(Math.max(0, (first?.start ?? 0) - lead), text.length - maxUnits);
  let to = from + maxUnits;
  // Never cut a surrogate pair in half.
  if (from > 0 && isLow(text.charCodeAt(from)) && isHigh(text.charCodeAt(from - 1))) from += 1;
  if (to < text.length && isLow(text.charCodeAt(to)) && isHigh(text.charCodeAt(to - 1))) to -= 1;
  const prefix = from > 0 ? '…' : '';
  const shift = prefix.length - from;
  const moved = valid
    .map((s) => ({ start: Math.max(s.start, from), end: Math.min(s.end, to) }))
    .filter((s) => s.end > s.start)
    .map((s) => ({ start: s.start + shift, end: s.end + shift }));
  return { text: prefix + text.slice(from, to) + (to < text.length ? '…' : ''), highlights: moved };
}
