import { describe, expect, it } from 'vitest';
import { codeOf, hasForbiddenNameCharacter, visibleControls, withControlsShown } from './invisible';

const controls = (text: string) => visibleControls(text).filter((v) => v.kind === 'control').map((v) => v.kind === 'control' && v.code);

describe('visibleControls', () => {
  it('shows a right-to-left override where it is, so a file name reads as it is', () => {
    expect(visibleControls('invoice\u202Egpj.exe')).toEqual([
      { kind: 'text', text: 'invoice' },
      { kind: 'control', char: '\u202E', code: 'U+202E' },
      { kind: 'text', text: 'gpj.exe' },
    ]);
    expect(withControlsShown('invoice\u202Egpj.exe')).toBe('invoice⟨U+202E⟩gpj.exe');
  });

  it('marks every bidi control', () => {
    const bidi = ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
    expect(controls(bidi.join('a'))).toEqual(bidi.map(codeOf));
  });

  it('marks zero-width characters, also between Latin letters or kana', () => {
    expect(controls('pay\u200Bpal \uFEFFa\u2060b')).toEqual(['U+200B', 'U+FEFF', 'U+2060']);
    expect(controls('in\u200Dvoice')).toEqual(['U+200D']);
    expect(controls('さ\u200Cとう')).toEqual(['U+200C']);
    expect(controls('\u200D👍')).toEqual(['U+200D']);
    expect(controls('👍\u200D')).toEqual(['U+200D']);
    expect(controls('👍\u200Da')).toEqual(['U+200D']);
  });

  it('marks other controls but keeps line breaks and tabs', () => {
    expect(controls('a\u0007b\u0085c')).toEqual(['U+0007', 'U+0085']);
    expect(visibleControls('一行目\n二行目\tタブ\r\n')).toEqual([{ kind: 'text', text: '一行目\n二行目\tタブ\r\n' }]);
  });

  it('never marks a zero-width joiner between two emoji', () => {
    for (const emoji of ['👨\u200D👩\u200D👧', '👩\u200D💼', '🏳️\u200D🌈', '❤️\u200D🔥', '🧑🏻\u200D🤝\u200D🧑🏿', '🐻\u200D❄️']) {
      expect(visibleControls(`家族 ${emoji} です`)).toEqual([{ kind: 'text', text: `家族 ${emoji} です` }]);
    }
  });

  it('keeps the joiners that scripts need between their letters', () => {
    // Persian: ZWNJ in می‌خواهم; Devanagari: ZWJ in क्‍ष.
    expect(controls('می\u200Cخواهم')).toEqual([]);
    expect(controls('क्\u200Dष')).toEqual([]);
  });

  it('leaves ordinary text, emoji and the reactions whole', () => {
    const text = '会議は14時です 👍❤️😄🙏😮🎉 🇯🇵 1️⃣ 𠮷野家';
    expect(visibleControls(text)).toEqual([{ kind: 'text', text }]);
    expect(visibleControls('')).toEqual([]);
  });

  it('marks a lone surrogate', () => {
    expect(controls('会\uD800議')).toEqual(['U+D800']);
  });
});

describe('hasForbiddenNameCharacter', () => {
  it('refuses what the server refuses in names', () => {
    for (const bad of ['invoice\u202Egpj.exe', '佐\u200B藤', '\u2067佐藤', '佐藤\uD800', 'a\u0000', 'a\u2028b', '佐\u00AD藤', '👍\u200D']) {
      expect(hasForbiddenNameCharacter(bad)).toBe(true);
    }
  });

  it('keeps ordinary names and emoji sequences', () => {
    for (const ok of ['鈴木 一郎', '庁舎PC 3F-12', 'مرحبا', '👩\u200D💼', '🇯🇵', '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}']) {
      expect(hasForbiddenNameCharacter(ok)).toBe(false);
    }
  });
});
