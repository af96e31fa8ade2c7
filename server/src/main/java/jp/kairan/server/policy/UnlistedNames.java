package jp.kairan.server.policy;

import static jp.kairan.server.policy.NameWords.DEPARTMENT_CHARS;
import static jp.kairan.server.policy.NameWords.NAME_ENDS;
import static jp.kairan.server.policy.NameWords.NOT_NAME_ENDINGS;
import static jp.kairan.server.policy.NameWords.NOT_NAME_KANA;
import static jp.kairan.server.policy.NameWords.PARTICLES;
import static jp.kairan.server.policy.Scripts.containsAny;
import static jp.kairan.server.policy.Scripts.hiragana;
import static jp.kairan.server.policy.Scripts.kanji;

import java.util.List;
import jp.kairan.server.policy.PersonFinder.Kind;
import jp.kairan.server.policy.PersonFinder.Person;

/**
 * Names the dictionary does not know, found from their shape before an honorific (or a parenthesis): a surname and
 * given name with a space between (小鳥遊 結愛さん, 王 偉 様, 高橋 ミツ子さん), three to six kanji without one
 * (小鳥遊心春さん), and names in hiragana (さいとうけんたさん, 野口けんたさん). Adds them unless a name was found there
 * already; a full name replaces a partial one. Pure.
 */
final class UnlistedNames {
    /** An occurrence of one of {@link NameWords#NAME_ENDS} at {@code at} in the compacted text. */
    private record End(String word, int at) {
        boolean paren() {
            return word.equals("（") || word.equals("(");
        }
    }

    private UnlistedNames() {
    }

    /** Adds to {@code found} the names before each honorific or parenthesis of the text. */
    static void find(CompactText c, List<NameToken> tokens, List<Person> found) {
        String t = c.text();
        for (String word : NAME_ENDS) {
            int from = 0;
            int h;
            while ((h = t.indexOf(word, from)) >= 0) {
                from = h + 1;
                End end = new End(word, h);
                if (word.length() == 1 && !end.paren() && h + 1 < t.length() && kanji(t.charAt(h + 1)) && !c.spacedAfter(h)) {
                    continue; // 様子, 氏名, 殿堂: not an honorific
                }
                nameBefore(c, tokens, found, end);
            }
        }
    }

    private static void nameBefore(CompactText c, List<NameToken> tokens, List<Person> found, End end) {
        int h = end.at();
        int mixed = spacedMixedName(c, h);
        if (mixed >= 0) {
            addIfNew(c, tokens, found, mixed, h, Kind.FULL); // 高橋 ミツ子さん, みやざき ひなたちゃん
            return;
        }
        int kanaStart = h;
        while (kanaStart > 0 && hiragana(c.text().charAt(kanaStart - 1))) {
            kanaStart--;
        }
        if (kanaStart < h && !end.paren()) {
            kanaName(c, tokens, found, kanaStart, h);
        } else {
            kanjiName(c, tokens, found, end);
        }
    }

    /** さいとうけんたさん, 野口けんたさん, からさくらさん: hiragana, perhaps after a kanji surname or a particle. */
    private static void kanaName(CompactText c, List<NameToken> tokens, List<Person> found, int kanaStart, int h) {
        String kana = c.text().substring(kanaStart, h);
        int strip = leadingParticle(kana);
        kanaStart += strip;
        kana = kana.substring(strip);
        if (kana.length() < 2 || NOT_NAME_KANA.stream().anyMatch(kana::contains)) {
            return;
        }
        int start = strip == 0 ? surnameBefore(c.text(), kanaStart) : kanaStart;
        Kind kind = start < kanaStart || kana.length() >= 5 || c.spaced(kanaStart, h) ? Kind.FULL : Kind.PARTIAL;
        addIfNew(c, tokens, found, start, h, kind);
    }

    /** The start of up to four kanji before {@code kanaStart} that can be a surname, else {@code kanaStart}. */
    private static int surnameBefore(String t, int kanaStart) {
        int kanjiStart = kanaStart;
        while (kanjiStart > 0 && kanji(t.charAt(kanjiStart - 1)) && kanaStart - kanjiStart < 4) {
            kanjiStart--;
        }
        if (kanjiStart < kanaStart && (kanjiStart > 0 && kanji(t.charAt(kanjiStart - 1))
                || containsAny(t.substring(kanjiStart, kanaStart), DEPARTMENT_CHARS))) {
            return kanaStart; // part of a longer word, or a department: not a surname
        }
        return kanjiStart;
    }

    /** 小鳥遊心春さん, 石動さん, 王 偉 様: a run of up to nine kanji that is not a department or a phrase. */
    private static void kanjiName(CompactText c, List<NameToken> tokens, List<Person> found, End end) {
        String t = c.text();
        int h = end.at();
        int k = h;
        while (k > 0 && kanji(t.charAt(k - 1)) && h - k < 9) {
            k--;
        }
        String run = t.substring(k, h);
        if (run.isEmpty() || k > 0 && (kanji(t.charAt(k - 1)) || Masking.mask(t.charAt(k - 1)))
                || containsAny(run, DEPARTMENT_CHARS)) {
            return;
        }
        boolean spaced = c.spaced(k, h);
        if (!nameLike(tokens, k, h, spaced)) {
            return;
        }
        Kind kind = kanjiRunKind(tokens, k, run, spaced, end);
        if (kind != null) {
            addIfNew(c, tokens, found, k, h, kind);
        }
    }

    /** How the kanji {@code run} starting at {@code k} reads as a name, or null when it does not. */
    private static Kind kanjiRunKind(List<NameToken> tokens, int k, String run, boolean spaced, End end) {
        if (spaced && run.length() >= 2 && run.length() <= 7) {
            return Kind.FULL;
        }
        boolean notName = NOT_NAME_ENDINGS.indexOf(run.charAt(run.length() - 1)) >= 0;
        if (!end.paren() && run.length() >= 3 && run.length() <= 6 && !notName) {
            // 長谷川さん and 新発田さん are surnames; 王美玲さん and 小鳥遊心春さん are full names.
            return run.length() >= 4 || givenNameWithin(tokens, k, end.at()) ? Kind.FULL : Kind.PARTIAL;
        }
        if (!end.paren() && run.length() <= 2 && !end.word().equals("氏") && !notName) {
            return Kind.PARTIAL; // a surname the dictionary does not know: 石動さん
        }
        return null;
    }

    private static boolean givenNameWithin(List<NameToken> tokens, int start, int end) {
        for (NameToken tk : tokens) {
            if (tk.start() < end && start < tk.end() && tk.givenName() && tk.start() > start) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the tokens over [start, end) could be a name: no verbal nouns (相談, 対応); no adverbial nouns or
     * numerals either unless spaced like a name (四月一日 陽翔).
     */
    private static boolean nameLike(List<NameToken> tokens, int start, int end, boolean spaced) {
        for (NameToken tk : tokens) {
            String pos = tk.pos();
            if (tk.start() < end && start < tk.end() && (pos.contains("サ変接続")
                    || !spaced && (pos.contains("副詞可能") || pos.contains("数") || pos.contains("形容動詞")))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The start of a name written as two spaced parts right before {@code h}, the first in kanji or kana and the
     * second in any Japanese script (高橋 ミツ子, みやざき ひなた, 김 서연 aside), each 1–5 characters; −1 when none.
     */
    private static int spacedMixedName(CompactText c, int h) {
        String t = c.text();
        int k = h;
        int spaces = 0;
        int secondStart = -1;
        while (k > 0 && Scripts.nameChar(t.charAt(k - 1)) && h - k < 11) {
            if (c.spacedAfter(k - 1) && k < h) {
                if (spaces == 1) {
                    break; // the part before the surname
                }
                spaces++;
                secondStart = k;
            }
            k--;
        }
        if (spaces != 1 || secondStart < 0) {
            return -1;
        }
        return mixedName(t.substring(k, secondStart), t.substring(secondStart, h)) ? k : -1;
    }

    /** Whether two spaced parts make a name: not all kanji, not too long, not a department or a phrase. */
    private static boolean mixedName(String first, String second) {
        boolean kanaOnly = Scripts.allHiragana(first) && Scripts.allHiragana(second);
        boolean mixedScripts = !Scripts.allKanji(first) || !Scripts.allKanji(second);
        return mixedScripts && first.length() <= 5 && second.length() <= 5 && first.length() >= 1
                && !(second.length() < 2 && kanaOnly)
                && !containsAny(first + second, DEPARTMENT_CHARS)
                && NOT_NAME_KANA.stream().noneMatch(w -> first.contains(w) || second.contains(w))
                && !(kanaOnly && (first.length() < 2 || leadingParticle(first + "xxxx") > 0 && first.length() <= 2));
    }

    /** The length of a particle that starts {@code kana} before at least four more characters, else 0. */
    private static int leadingParticle(String kana) {
        for (String p : PARTICLES) {
            if (kana.startsWith(p) && kana.length() - p.length() >= 4) {
                return p.length();
            }
        }
        return 0;
    }

    private static void addIfNew(CompactText c, List<NameToken> tokens, List<Person> found, int start, int end, Kind kind) {
        int first = tokenAt(tokens, start);
        int last = tokenAt(tokens, end - 1);
        if (first < 0 || last < 0 || StaffContext.staff(tokens, first, last + 1) || Masking.pseudonymAt(tokens, last + 1)) {
            return;
        }
        int from = c.source(start);
        int to = c.sourceEnd(end);
        for (int k = 0; k < found.size(); k++) {
            Person p = found.get(k);
            if (p.start() < to && from < p.end()) {
                if (p.kind() == Kind.PARTIAL && kind == Kind.FULL) {
                    found.set(k, new Person(Kind.FULL, Math.min(from, p.start()), Math.max(to, p.end()), p.excerpt() + "*"));
                }
                return;
            }
        }
        String name = c.text().substring(start, end);
        found.add(new Person(kind, from, to, name.charAt(0) + "*".repeat(name.length() - 1)));
    }

    private static int tokenAt(List<NameToken> tokens, int pos) {
        for (int k = 0; k < tokens.size(); k++) {
            if (tokens.get(k).start() <= pos && pos < tokens.get(k).end()) {
                return k;
            }
        }
        return -1;
    }
}
