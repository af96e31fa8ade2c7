package jp.kairan.server.policy;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the runs of digits in chat text the way a person reads them, whatever the keyboard did: full-width and
 * circled digits (NFKC), digit groups split by spaces, line breaks, any dash (ー, －, ‐, ‑, –, —, −, ─), ・ or a dot,
 * invisible format characters and variation selectors in between, and kanji numerals (〇一二…九, 零) inside long runs
 * only, so that 一郎, 一部 and a masked 高橋〇〇 stay words. Each digit keeps the index of the character it came from,
 * so findings point at the original text (DLP-NOTES.md §3). Pure and thread-safe.
 */
final class DigitRuns {
    /** At most this many separator characters may stand between two digits of one run. */
    static final int MAX_SEPARATORS = 3;
    /** Kanji numerals count as digits only in runs of at least this many digit-like characters. */
    static final int MIN_KANJI_RUN = 8;
    private static final String KANJI_DIGITS = "〇一二三四五六七八九";

    private DigitRuns() {
    }

    /**
     * One run of digits.
     *
     * @param digits ASCII digits
     * @param source for each digit, the UTF-16 index in the original text of the character it came from
     * @param start  index of the run's first character in the original text
     * @param end    index just after the run's last character
     */
    record Run(String digits, int[] source, int start, int end) {
        int length() {
            return digits.length();
        }
    }

    private enum Kind { DIGIT, KANJI, SEPARATOR, BREAK }

    private record Token(Kind kind, char digit, int start, int end) {
    }

    /** The runs of {@code text}, in order. */
    static List<Run> find(String text) {
        List<Token> tokens = tokens(text);
        List<Run> runs = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            Kind k = tokens.get(i).kind();
            if (k != Kind.DIGIT && k != Kind.KANJI) {
                i++;
                continue;
            }
            int j = i;
            int last = i; // last digit-like token of the run
            int separators = 0;
            while (j < tokens.size()) {
                Kind kj = tokens.get(j).kind();
                if ((kj == Kind.DIGIT || kj == Kind.KANJI) && separators > 0 && kj != tokens.get(last).kind()) {
                    break; // 「７９６９ ６１２２ ９５２８ 四月一日」: kanji numerals after a gap start something else
                }
                if (kj == Kind.DIGIT || kj == Kind.KANJI) {
                    last = j;
                    separators = 0;
                } else if (kj == Kind.SEPARATOR && ++separators <= MAX_SEPARATORS) {
                    // may continue
                } else {
                    break;
                }
                j++;
            }
            addRuns(tokens.subList(i, last + 1), runs);
            i = last + 1;
        }
        return runs;
    }

    /** A run of digit-like tokens: kanji numerals stay digits only when the run is long; else they split it. */
    private static void addRuns(List<Token> part, List<Run> out) {
        int digitLike = 0;
        boolean anyKanji = false;
        for (Token t : part) {
            if (t.kind() == Kind.DIGIT || t.kind() == Kind.KANJI) {
                digitLike++;
            }
            anyKanji |= t.kind() == Kind.KANJI;
        }
        if (anyKanji && digitLike < MIN_KANJI_RUN) {
            int from = -1;
            for (int i = 0; i <= part.size(); i++) {
                boolean digit = i < part.size() && part.get(i).kind() == Kind.DIGIT;
                boolean boundary = i == part.size() || part.get(i).kind() == Kind.KANJI;
                if (digit && from < 0) {
                    from = i;
                }
                if (boundary && from >= 0) {
                    int to = i - 1;
                    while (part.get(to).kind() != Kind.DIGIT) {
                        to--;
                    }
                    out.add(run(part.subList(from, to + 1)));
                    from = -1;
                }
            }
            return;
        }
        out.add(run(part));
    }

    private static Run run(List<Token> part) {
        StringBuilder digits = new StringBuilder();
        List<Integer> source = new ArrayList<>();
        for (Token t : part) {
            if (t.kind() == Kind.DIGIT || t.kind() == Kind.KANJI) {
                digits.append(t.digit());
                source.add(t.start());
            }
        }
        return new Run(digits.toString(), source.stream().mapToInt(Integer::intValue).toArray(), part.get(0).start(),
                part.get(part.size() - 1).end());
    }

    private static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (invisible(cp)) {
                i = next;
                continue;
            }
            int kanji = KANJI_DIGITS.indexOf(cp);
            if (kanji >= 0 || cp == '零') {
                tokens.add(new Token(Kind.KANJI, (char) ('0' + Math.max(kanji, 0)), i, next));
            } else if (separator(cp)) {
                tokens.add(new Token(Kind.SEPARATOR, ' ', i, next));
            } else {
                String folded = cp < 0x80 ? Character.toString(cp) : Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFKC);
                if (!folded.isEmpty() && folded.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    // One character may fold to several digits (⑩ → 10); each points at it.
                    for (int k = 0; k < folded.length(); k++) {
                        tokens.add(new Token(Kind.DIGIT, folded.charAt(k), i, next));
                    }
                } else if (folded.length() == 1 && separator(folded.charAt(0))) {
                    tokens.add(new Token(Kind.SEPARATOR, ' ', i, next));
                } else {
                    tokens.add(new Token(Kind.BREAK, ' ', i, next));
                }
            }
            i = next;
        }
        return tokens;
    }

    /** Format characters (zero-width spaces and joiners, BOM, soft hyphen, bidi marks), variation selectors, keycaps. */
    static boolean invisible(int cp) {
        return Character.getType(cp) == Character.FORMAT || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF)
                || cp == 0x20E3;
    }

    /** What may stand between digit groups: white space, dashes and the prolonged sound mark, middle dots, a dot, a slash. */
    static boolean separator(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == '-' || cp == '.' || cp == '/' || cp == '_' || cp == '・' || cp == 0x00B7 || cp == 0x2027 || cp == 0x2219 || cp == 0x22C5 || cp == 'ー'
                || cp == 'ｰ' || cp == '･' || cp == '－' || cp == '．' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212
                || cp == 0x2500 || cp == 0x2501;
    }
}
