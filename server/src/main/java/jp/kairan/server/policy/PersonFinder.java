package jp.kairan.server.policy;

import static jp.kairan.server.policy.NameWords.FUNCTION_WORDS;
import static jp.kairan.server.policy.NameWords.HONORIFICS;
import static jp.kairan.server.policy.NameWords.ROLES;
import static jp.kairan.server.policy.Scripts.kanaRun;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds people's names in a message with Kuromoji (IPADIC's 人名-姓 / 人名-名 tags), and tells which of them
 * identify someone: a full name that is not masked. Masked forms (山田○○, ○○花子, 山＊太郎, 高橋〇〇, …（仮名）),
 * staff named in their role (福祉課の中島健一係長, 担当の佐藤), the person addressed (田中さん、…) and the writer
 * (佐藤です) do not. Spaces between Japanese characters are ignored, so 山 田 太 郎 is one name. Katakana and
 * Latin full names count when an honorific follows. Thread-safe (one tokenizer per thread).
 *
 * <p>This class walks the tokens and reads Japanese names by the dictionary; {@link Masking}, {@link LabelledNames},
 * {@link ForeignNames} and {@link StaffContext} judge the other forms and the context, {@link UnlistedNames} finds
 * names the dictionary does not know by their shape, and {@link NameWords} holds the word lists they judge by.
 */
final class PersonFinder {
    /** How a name appears. */
    enum Kind {
        /** Surname and given name, unmasked: identifies a person. */
        FULL,
        /** Surname or given name alone, with an honorific (山田さん): identifies with another identifier. */
        PARTIAL,
        /** A masked name. */
        MASKED,
        /** A member of staff in their role, the person addressed, or the writer. */
        STAFF
    }

    /**
     * A name in the message.
     *
     * @param kind    how it appears
     * @param start   index of its first character in the original text
     * @param end     index after its last character
     * @param excerpt the name masked: the surname kept, the rest as {@code *}
     */
    record Person(Kind kind, int start, int end, String excerpt) {
        /** The name over tokens {@code first} .. {@code last}, its first {@code keep} characters kept in the excerpt. */
        static Person of(CompactText c, Kind kind, NameToken first, NameToken last, int keep) {
            String name = c.text().substring(first.start(), last.end());
            return new Person(kind, c.source(first.start()), c.sourceEnd(last.end()), Masking.excerpt(name, keep));
        }
    }

    private PersonFinder() {
    }

    /** The names in {@code text}, in order. */
    static List<Person> find(String text) {
        CompactText compact = CompactText.of(text);
        List<NameToken> tokens = NameTokens.tokenize(compact.text());
        List<Person> found = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            i += Math.max(1, nameAt(compact, tokens, i, found));
        }
        UnlistedNames.find(compact, tokens, found);
        return found;
    }

    /** Adds the name that starts at token {@code i}, if any, to {@code found}; returns how many tokens it read. */
    private static int nameAt(CompactText c, List<NameToken> tokens, int i, List<Person> found) {
        NameToken t = tokens.get(i);
        if (Masking.pseudonym(tokens, i)) {
            found.add(Person.of(c, Kind.MASKED, t, t, 1)); // Aさん, Ｂ子, 乙（S23.11.3生）
            return 2;
        }
        int masks = Masking.maskedWhole(tokens, i);
        if (masks > 0) {
            found.add(Person.of(c, Kind.MASKED, t, tokens.get(i + masks - 1), 0)); // ○○さん, ＊＊様
            return masks;
        }
        if (LabelledNames.labelledSubject(tokens, i)) {
            int n = LabelledNames.labelled(c, tokens, i, found); // 「児童氏名：川口 心愛（5）」
            if (n > 0) {
                return n;
            }
        }
        if (t.hangul()) {
            return ForeignNames.hangul(c, tokens, i, found);
        }
        if (t.katakana()) {
            return ForeignNames.katakana(c, tokens, i, found);
        }
        if (t.surname() || t.place() && givenNameFollows(tokens, i + 1)) {
            // 太田 and 川口 are places too: a given name after them makes them surnames.
            return surname(c, tokens, i, found);
        }
        if (t.givenName()) {
            return givenName(c, tokens, i, found);
        }
        if (t.latinName()) {
            return ForeignNames.latin(c, tokens, i, found);
        }
        return 1;
    }

    /** A surname at {@code i}, masked, with a given name, with an honorific, or bare (a colleague: not added). */
    private static int surname(CompactText c, List<NameToken> tokens, int i, List<Person> found) {
        NameToken surname = tokens.get(i);
        int keep = surname.text().length();
        int j = i + 1;
        if (Masking.masksAt(tokens, j) > 0 || Masking.maskedBefore(tokens, i)) {
            j += Masking.masksAt(tokens, j);
            found.add(Person.of(c, Kind.MASKED, surname, tokens.get(j - 1), keep)); // 山田○○, ○山田
            return j - i;
        }
        int given = givenNameEnd(c, tokens, i);
        boolean full = given > 0;
        if (full) {
            j = given;
        }
        NameToken last = tokens.get(j - 1);
        int masks = Masking.masksAt(tokens, j);
        if (masks > 0) {
            found.add(Person.of(c, Kind.MASKED, surname, tokens.get(j + masks - 1), keep)); // 山田太郎○○
            return j + masks - i;
        }
        if (Masking.pseudonymAt(tokens, j)) {
            found.add(Person.of(c, Kind.MASKED, surname, last, keep));
            return j - i;
        }
        Kind kind = surnameKind(tokens, i, j, full);
        if (kind != null) {
            found.add(Person.of(c, kind, surname, last, keep));
        }
        return j - i;
    }

    /** How the name at tokens [i, j) counts, or null for a bare surname: in Japanese offices, a colleague. */
    private static Kind surnameKind(List<NameToken> tokens, int i, int j, boolean full) {
        if (StaffContext.staff(tokens, i, j)) {
            return Kind.STAFF;
        }
        if (full) {
            return Kind.FULL;
        }
        if (j < tokens.size() && tokens.get(j).honorific()) {
            return Kind.PARTIAL;
        }
        if (j < tokens.size() && tokens.get(j).openParen() && !StaffContext.staffInParens(tokens, j)) {
            return Kind.PARTIAL; // 小林（滞納整理番号 …）, 西村（H2.11.3生）
        }
        return null;
    }

    /** The index after the given name that follows the surname at {@code i}, or −1 when none does. */
    private static int givenNameEnd(CompactText c, List<NameToken> tokens, int i) {
        int j = i + 1;
        if (j < tokens.size() && tokens.get(j).givenName()) {
            return j + 1;
        }
        int end = unlistedGivenNameEnd(tokens, j);
        if (end < 0 && c.spacedAfter(tokens.get(i).end() - 1) && j < tokens.size() && tokens.get(j).kanji()) {
            end = spacedGivenNameEnd(c, tokens, j);
        }
        return end;
    }

    /**
     * A given name the dictionary does not know at {@code j}: one to three kanji, or two to four kana (さくら, ゆい),
     * then an honorific or a parenthesis (an age). The index after it, or −1.
     */
    private static int unlistedGivenNameEnd(List<NameToken> tokens, int j) {
        int k = j;
        int chars = 0;
        boolean kana = k < tokens.size() && kanaRun(tokens.get(k).text()) && !FUNCTION_WORDS.contains(tokens.get(k).text())
                && !tokens.get(k).particle();
        while (k < tokens.size() && chars < 4 && (kana ? kanaRun(tokens.get(k).text()) && !HONORIFICS.contains(tokens.get(k).text())
                : tokens.get(k).kanji() && !ROLES.contains(tokens.get(k).text()))) {
            chars += tokens.get(k).text().length();
            k++;
        }
        boolean fits = kana ? chars >= 2 && chars <= 4 : chars >= 1 && chars <= 3;
        boolean closed = k < tokens.size() && (tokens.get(k).honorific() || tokens.get(k).openParen());
        return k > j && fits && closed ? k : -1;
    }

    /**
     * 「退職した 平井 拓海 の…」: after a surname and a space, one to three kanji, then a space, a particle or a
     * sentence's end. The index after them, or −1.
     */
    private static int spacedGivenNameEnd(CompactText c, List<NameToken> tokens, int j) {
        int k = j;
        int chars = 0;
        while (k < tokens.size() && tokens.get(k).kanji() && !ROLES.contains(tokens.get(k).text()) && chars < 3) {
            chars += tokens.get(k).text().length();
            k++;
        }
        boolean closed = k < tokens.size() && (c.spacedAfter(tokens.get(k - 1).end() - 1) || tokens.get(k).particle()
                || Scripts.isOneOf(tokens.get(k).text(), "、", "。", "\n"));
        return chars >= 1 && chars <= 3 && closed ? k : -1;
    }

    /** A given name alone: masked, or with an honorific when not staff (花子さん). */
    private static int givenName(CompactText c, List<NameToken> tokens, int i, List<Person> found) {
        NameToken given = tokens.get(i);
        int j = i + 1;
        if (Masking.maskedBefore(tokens, i) || Masking.pseudonymAt(tokens, j)) {
            found.add(Person.of(c, Kind.MASKED, given, given, 0));
        } else if (j < tokens.size() && tokens.get(j).honorific() && !StaffContext.staff(tokens, i, j)) {
            found.add(Person.of(c, Kind.PARTIAL, given, given, 0));
        }
        return 1;
    }

    /** Whether a given name starts at {@code j}: a dictionary one, or kana before a personal suffix (さくらちゃん). */
    private static boolean givenNameFollows(List<NameToken> tokens, int j) {
        if (j >= tokens.size()) {
            return false;
        }
        if (tokens.get(j).givenName()) {
            return true;
        }
        int k = j;
        int chars = 0;
        while (k < tokens.size() && kanaRun(tokens.get(k).text()) && !HONORIFICS.contains(tokens.get(k).text()) && chars < 5) {
            chars += tokens.get(k).text().length();
            k++;
        }
        return k > j && chars >= 2 && k < tokens.size() && tokens.get(k).personalSuffix();
    }
}
