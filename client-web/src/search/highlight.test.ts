import { describe, expect, it } from 'vitest';
import { excerptAround, highlightParts, type TextPart } from './highlight';

const TEXT = '先週の防災訓練の集合場所は第二駐車場です';
const marked = (parts: TextPart[]) => parts.filter((p) => p.mark).map((p) => p.text);
const joined = (parts: TextPart[]) => parts.map((p) => p.text).join('');
/** No lone surrogate: nothing cut a character in half. */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('highlightParts', () => {
  it('cuts the text at the spans, plain and marked in turn', () => {
    expect(highlightParts(TEXT, [{ start: 3, end: 5 }, { start: 8, end: 10 }])).toEqual([
      { text: '先週の', mark: false },
      { text: '防災', mark: true },
      { text: '訓練の', mark: false },
      { text: '集合', mark: true },
      { text: '場所は第二駐車場です', mark: false },
    ]);
  });

  it('marks spans at the very start and end without empty runs', () => {
    const parts = highlightParts('防災訓練', [{ start: 0, end: 2 }, { start: 2, end: 4 }]);
    expect(parts).toEqual([{ text: '防災訓練', mark: true }]);
    expect(highlightParts('防災訓練', [{ start: 2, end: 4 }])).toEqual([{ text: '防災', mark: false }, { text: '訓練', mark: true }]);
  });

  it('without highlights gives the whole text, and an empty text one empty run', () => {
    expect(highlightParts(TEXT, [])).toEqual([{ text: TEXT, mark: false }]);
    expect(highlightParts('', [{ start: 0, end: 1 }])).toEqual([{ text: '', mark: false }]);
  });

  it('counts UTF-16 units: a surrogate pair before a span moves it by two', () => {
    // 𠮷 (U+20BB7) and 👍 are two UTF-16 units each.
    const text = '𠮷野家で防災👍';
    expect(text.length).toBe(9);
    expect(marked(highlightParts(text, [{ start: 5, end: 7 }]))).toEqual(['防災']);
    expect(marked(highlightParts(text, [{ start: 7, end: 9 }]))).toEqual(['👍']);
  });

  it('never cuts a surrogate pair in half: a span ending or starting inside one takes the whole character', () => {
    const text = '𠮷野家で防災👍';
    expect(marked(highlightParts(text, [{ start: 1, end: 3 }]))).toEqual(['𠮷野']);
    expect(marked(highlightParts(text, [{ start: 5, end: 8 }]))).toEqual(['防災👍']);
    expect(marked(highlightParts(text, [{ start: 0, end: 1 }]))).toEqual(['𠮷']);
    for (const parts of [highlightParts(text, [{ start: 1, end: 3 }]), highlightParts(text, [{ start: 8, end: 9 }])]) {
      expect(joined(parts)).toBe(text);
      for (const p of parts) expect(wellFormed(p.text), p.text).toBe(true);
    }
  });

  it('merges overlapping and adjacent spans, in any order', () => {
    expect(highlightParts(TEXT, [{ start: 5, end: 7 }, { start: 3, end: 6 }])).toEqual([
      { text: '先週の', mark: false }, { text: '防災訓練', mark: true }, { text: 'の集合場所は第二駐車場です', mark: false },
    ]);
    expect(marked(highlightParts(TEXT, [{ start: 3, end: 5 }, { start: 5, end: 7 }]))).toEqual(['防災訓練']);
    expect(marked(highlightParts(TEXT, [{ start: 3, end: 7 }, { start: 4, end: 5 }]))).toEqual(['防災訓練']);
    expect(marked(highlightParts(TEXT, [{ start: 13, end: 15 }, { start: 3, end: 5 }]))).toEqual(['防災', '第二']);
  });

  it('ignores spans out of range, empty or reversed', () => {
    const bad = [
      { start: -1, end: 2 }, { start: 18, end: 40 }, { start: 4, end: 4 }, { start: 6, end: 5 }, { start: 1.5, end: 3 },
    ];
    expect(highlightParts(TEXT, bad)).toEqual([{ text: TEXT, mark: false }]);
    expect(marked(highlightParts(TEXT, [...bad, { start: 3, end: 5 }]))).toEqual(['防災']);
  });

  it('keeps markup as text (it is rendered as text nodes, never as HTML)', () => {
    const parts = highlightParts('<img src=x onerror=alert(1)>防災', [{ start: 28, end: 30 }]);
    expect(parts).toEqual([{ text: '<img src=x onerror=alert(1)>', mark: false }, { text: '防災', mark: true }]);
  });
});

describe('excerptAround', () => {
  it('leaves a short text as it is', () => {
    expect(excerptAround(TEXT, [{ start: 3, end: 5 }])).toEqual({ text: TEXT, highlights: [{ start: 3, end: 5 }] });
  });

  it('cuts a long text around the first highlight and moves the spans with it', () => {
    const text = 'あ'.repeat(500) + '防災' + 'い'.repeat(500);
    const cut = excerptAround(text, [{ start: 500, end: 502 }, { start: 900, end: 902 }, { start: 2000, end: 2002 }], 100, 10);
    expect(cut.text.startsWith('…')).toBe(true);
    expect(cut.text.endsWith('…')).toBe(true);
    expect(cut.text.length).toBe(102);
    expect(marked(highlightParts(cut.text, cut.highlights))).toEqual(['防災']);
    expect(cut.text.indexOf('防災')).toBe(11);
  });

  it('does not start or end inside a surrogate pair', () => {
    const text = '👍'.repeat(200) + '防災' + '👍'.repeat(200);
    const cut = excerptAround(text, [{ start: 400, end: 402 }], 101, 11);
    expect(wellFormed(cut.text)).toBe(true);
    expect(marked(highlightParts(cut.text, cut.highlights))).toEqual(['防災']);
  });
});
