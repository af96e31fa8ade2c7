/**
 * Characters that change how message text reads without showing themselves: bidi controls (U+202E turns
 * `invoice\u202Egpj.exe` into what reads as `invoiceexe.jpg`), zero-width characters and other controls. The server
 * keeps message text as sent (issue #16); the client shows each such character as a visible mark, `⟨U+202E⟩`.
 *
 * Not marked: line breaks and tabs; a zero-width joiner inside an emoji sequence (👨‍👩‍👧); a zero-width joiner or
 * non-joiner between two letters of a script that uses them to shape its letters (Arabic, Persian, the Indic
 * scripts…), where they are part of correct spelling.
 */
export type Visible = { kind: 'text'; text: string } | { kind: 'control'; char: string; code: string };

const ZWNJ = 0x200c;
const ZWJ = 0x200d;

/** Bidi controls: ALM, LRM, RLM, embeddings and overrides, isolates. */
export function isBidiControl(cp: number): boolean {
  return cp === 0x061c || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/** Zero-width characters: ZWSP, ZWNJ, ZWJ, word joiner, invisible operators, BOM, Mongolian vowel separator. */
export function isZeroWidth(cp: number): boolean {
  return (cp >= 0x200b && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff || cp === 0x180e;
}

/** C0 and C1 controls other than tab, line feed and carriage return, and unpaired surrogates. */
function isOtherControl(cp: number): boolean {
  return (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff);
}

const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;
const EMOJI_MODIFIER = /^[\u{1F3FB}-\u{1F3FF}\u{FE0F}]$/u;
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
/** Scripts whose letters never need a joiner between them: a joiner there only hides something. */
const PLAIN_SCRIPT = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Common}]$/u;

function joinsEmoji(chars: string[], i: number): boolean {
  let before = i - 1;
  while (before >= 0 && EMOJI_MODIFIER.test(chars[before])) before--;
  return before >= 0 && PICTOGRAPHIC.test(chars[before]) && i + 1 < chars.length && PICTOGRAPHIC.test(chars[i + 1]);
}

function joinsLetters(chars: string[], i: number): boolean {
  const shaping = (c: string | undefined) => c !== undefined && LETTER_OR_MARK.test(c) && !PLAIN_SCRIPT.test(c);
  return shaping(chars[i - 1]) && shaping(chars[i + 1]);
}

/** Whether the character at {@code i} of {@code chars} (code points) is shown as a mark. */
function hidden(chars: string[], i: number): boolean {
  const cp = chars[i].codePointAt(0)!;
  if (cp === ZWJ) return !joinsEmoji(chars, i) && !joinsLetters(chars, i);
  if (cp === ZWNJ) return !joinsLetters(chars, i);
  return isBidiControl(cp) || isZeroWidth(cp) || isOtherControl(cp);
}

/** `U+202E` for a code point. */
export function codeOf(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Splits text into runs of plain text and the invisible characters in it, in order. */
export function visibleControls(text: string): Visible[] {
  const chars = Array.from(text);
  const out: Visible[] = [];
  let run = '';
  chars.forEach((c, i) => {
    if (hidden(chars, i)) {
      if (run) out.push({ kind: 'text', text: run });
      run = '';
      out.push({ kind: 'control', char: c, code: codeOf(c) });
    } else {
      run += c;
    }
  });
  if (run) out.push({ kind: 'text', text: run });
  return out;
}

/** The text with each invisible character replaced by `⟨U+XXXX⟩`, for places that show plain strings (a title, a quote). */
export function withControlsShown(text: string): string {
  return visibleControls(text).map((v) => (v.kind === 'text' ? v.text : `⟨${v.code}⟩`)).join('');
}

const FORBIDDEN_IN_NAME = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]$/u;
const TAG = /^[\u{E0020}-\u{E007F}]$/u;

/**
 * Whether a name holds a character the server refuses in names (HTTP-API.md, Conventions): a control or format
 * character (bidi controls, zero-width characters), a line or paragraph separator, an unpaired surrogate. A ZWJ
 * between two emoji and the tags of a subdivision flag (🏴 …) are allowed, as on the server.
 */
export function hasForbiddenNameCharacter(name: string): boolean {
  const chars = Array.from(name);
  return chars.some((c, i) => {
    if (!FORBIDDEN_IN_NAME.test(c)) return false;
    if (c === '\u200D') return !joinsEmoji(chars, i);
    if (TAG.test(c)) {
      let start = i;
      while (start > 0 && TAG.test(chars[start - 1])) start--;
      let end = i;
      while (end + 1 < chars.length && TAG.test(chars[end + 1])) end++;
      return !(start > 0 && chars[start - 1] === '\u{1F3F4}' && chars[end] === '\u{E007F}' && end > start);
    }
    return true;
  });
}
