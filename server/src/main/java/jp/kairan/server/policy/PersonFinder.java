package jp.kairan.server.policy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.ja.JapaneseTokenizer;
import org.apache.lucene.analysis.ja.tokenattributes.PartOfSpeechAttribute;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Finds people's names in a message with Kuromoji (IPADIC's 人名-姓 / 人名-名 tags), and tells which of them
 * identify someone: a full name that is not masked. Masked forms (山田○○, ○○花子, 山＊太郎, 高橋〇〇, …（仮名）),
 * staff named in their role (福祉課の中島健一係長, 担当の佐藤), the person addressed (田中さん、…) and the writer
 * (佐藤です) do not. Spaces between Japanese characters are ignored, so 山 田 太 郎 is one name. Katakana and
 * Latin full names count when an honorific follows. Thread-safe (one tokenizer per thread).
 */
public final class PersonFinder {
    /** How a name appears. */
    public enum Kind {
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
    public record Person(Kind kind, int start, int end, String excerpt) {
    }

    static final String MASKS = "○◯〇●◎×✕＊*※△□■＿_ＸXｘxＯ";
    private static final Set<String> HONORIFICS = Set.of("さん", "様", "さま", "氏", "くん", "君", "ちゃん", "殿", "宅", "方");
    private static final Set<String> ROLES = Set.of("係長", "課長", "部長", "室長", "所長", "局長", "次長", "主査", "主任",
            "主事", "主幹", "参事", "補佐", "課長補佐", "係員", "担当", "担当者", "保健師", "相談員", "支援員", "指導員", "社会福祉士",
            "ケースワーカー", "CW", "cw", "職員", "議員", "市長", "町長", "村長", "副市長", "教育長", "先生", "校長", "教頭", "看護師",
            "医師", "委員", "班長", "係", "課", "調整官", "専門員", "管理者", "所属長", "ワーカー", "部", "室", "センター長", "園長",
            "理事", "講師", "事務局", "リーダー", "会長", "代表");
    private static final Set<String> STAFF_BEFORE = Set.of("課", "係", "室", "部", "担当", "センター", "所", "局", "班", "CW",
            "代理", "後任", "前任", "庶務", "総務",
            "cw", "ケースワーカー", "保健師", "講師", "主査", "係長", "課長", "主任", "主事", "担当職員", "相談員", "支援員", "担任", "校長");
    private static final Set<String> KATAKANA_COMMON = Set.of("ケースワーカー", "ワーカー", "ヘルパー", "マネージャー", "マネジャー",
            "ケアマネ", "ケアマネジャー", "ケアマネージャー", "ドライバー", "スタッフ", "リーダー", "サポーター", "ボランティア",
            "オペレーター", "メンバー", "ママ", "パパ", "ベンダー", "ユーザー", "コーディネーター", "カウンセラー", "ソーシャルワーカー",
            "ホームヘルパー", "ケアワーカー", "ファシリテーター", "シェルター", "センター", "チーム", "サービス", "システム", "ファミリー",
            "ケース", "オーナー", "パートナー", "トレーナー", "インストラクター", "アドバイザー");

    private static final ThreadLocal<Tokens> TOKENIZER = ThreadLocal.withInitial(Tokens::new);

    private PersonFinder() {
    }

    /** The names in {@code text}, in order. */
    public static List<Person> find(String text) {
        Compact compact = Compact.of(text);
        List<Token> tokens = TOKENIZER.get().tokenize(compact.text);
        List<Person> found = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            int consumed;
            if (pseudonymLetter(t) && i + 1 < tokens.size() && (honorific(tokens.get(i + 1)) || tokens.get(i + 1).openParen()
                    || isOneOf(tokens.get(i + 1).text, "子", "男", "氏", "さん", "児", "君"))) {
                // Aさん, Ｂ子, 乙（S23.11.3生）: a pseudonym
                found.add(person(compact, Kind.MASKED, t, t, 1));
                consumed = 2;
            } else if (t.mask() && (i == 0 || !tokens.get(i - 1).mask()) && maskedHonorific(tokens, i) > 0) {
                // ○○さん, ＊＊様: a name masked whole
                int n = maskedHonorific(tokens, i);
                found.add(person(compact, Kind.MASKED, t, tokens.get(i + n - 1), 0));
                consumed = n;
            } else if (labelledSubject(tokens, i) && (consumed = labelled(compact, tokens, i, found)) > 0) {
                // 「児童氏名：川口 心愛（5）」: the value of a subject label is a name, whatever the dictionary says
            } else if (t.hangul()) {
                consumed = hangul(compact, tokens, i, found);
            } else if (t.katakana()) {
                consumed = katakana(compact, tokens, i, found);
            } else if (t.surname() || t.place() && givenNameFollows(tokens, i + 1)) {
                // 太田 and 川口 are places too: a given name after them makes them surnames.
                consumed = surname(compact, tokens, i, found);
            } else if (t.givenName()) {
                consumed = givenName(compact, tokens, i, found);
            } else if (t.latinName()) {
                consumed = latin(compact, tokens, i, found);
            } else {
                consumed = 1;
            }
            i += Math.max(1, consumed);
        }
        namesBeforeHonorifics(compact, tokens, found);
        return found;
    }

    private static final String[] NAME_ENDS = {"さん", "ちゃん", "くん", "さま", "様", "氏", "君", "殿", "（", "("};
    /** Endings of a kanji run before さん that make it a role or a kind of person, not a name. */
    private static final String NOT_NAME_ENDINGS = "者員師士家屋長官課係所局会店社院園校人手主医生様方中内外側達";
    private static final String DEPARTMENT_CHARS = "課係室部局所";
    /** Hiragana that make a run a phrase or a kinship word rather than a name. */
    private static final List<String> NOT_NAME_KANA = List.of("った", "って", "して", "した", "します", "でし", "です", "ます",
            "ない", "れる", "られ", "ている", "ので", "から", "けど", "ください", "という", "みたい", "らしい", "だっ", "おばあ",
            "おじい", "おかあ", "おとう", "おにい", "おねえ", "おばさ", "おじさ", "みな", "あかちゃ", "おきゃく", "おいしゃ", "おとなり",
            "だれ", "どなた", "こちら", "そちら", "あちら", "みんな", "おこ", "おまわり", "おくさ", "むすめ", "むすこ", "まご");

    /**
     * Names the dictionary does not know, found from their shape before an honorific (or a parenthesis): a
     * surname and given name with a space between (小鳥遊 結愛さん, 王 偉 様), three to six kanji without one
     * (小鳥遊心春さん), and names in hiragana (さいとうけんたさん, 野口けんたさん). Adds them unless a name was found there
     * already; a full name replaces a partial one.
     */
    private static void namesBeforeHonorifics(Compact c, List<Token> tokens, List<Person> found) {
        String t = c.text;
        for (String end : NAME_ENDS) {
            int from = 0;
            int h;
            while ((h = t.indexOf(end, from)) >= 0) {
                from = h + 1;
                boolean paren = end.equals("（") || end.equals("(");
                if (end.length() == 1 && !paren && h + 1 < t.length() && kanji(t.charAt(h + 1)) && !c.spacedAfter[h]) {
                    continue; // 様子, 氏名, 殿堂: not an honorific
                }
                int kanaStart = h;
                while (kanaStart > 0 && hiragana(t.charAt(kanaStart - 1))) {
                    kanaStart--;
                }
                int start;
                Kind kind;
                int mixed = spacedMixedName(c, h);
                if (mixed >= 0) {
                    addIfNew(c, tokens, found, mixed, h, Kind.FULL); // 高橋 ミツ子さん, みやざき ひなたちゃん
                    continue;
                }
                if (kanaStart < h && !paren) {
                    String kana = t.substring(kanaStart, h);
                    int strip = leadingParticle(kana);
                    kanaStart += strip;
                    kana = kana.substring(strip);
                    if (kana.length() < 2 || NOT_NAME_KANA.stream().anyMatch(kana::contains)) {
                        continue;
                    }
                    int kanjiStart = kanaStart;
                    if (strip == 0) {
                        while (kanjiStart > 0 && kanji(t.charAt(kanjiStart - 1)) && kanaStart - kanjiStart < 4) {
                            kanjiStart--;
                        }
                        if (kanjiStart < kanaStart && (kanjiStart > 0 && kanji(t.charAt(kanjiStart - 1))
                                || containsAny(t.substring(kanjiStart, kanaStart), DEPARTMENT_CHARS))) {
                            kanjiStart = kanaStart; // part of a longer word, or a department: not a surname
                        }
                    }
                    start = kanjiStart;
                    kind = kanjiStart < kanaStart || kana.length() >= 5 || c.spaced(kanaStart, h) ? Kind.FULL : Kind.PARTIAL;
                } else {
                    int k = h;
                    while (k > 0 && kanji(t.charAt(k - 1)) && h - k < 9) {
                        k--;
                    }
                    String run = t.substring(k, h);
                    if (run.isEmpty() || k > 0 && (kanji(t.charAt(k - 1)) || MASKS.indexOf(t.charAt(k - 1)) >= 0)
                            || containsAny(run, DEPARTMENT_CHARS)) {
                        continue;
                    }
                    boolean spaced = c.spaced(k, h);
                    if (!nameLike(tokens, k, h, spaced)) {
                        continue;
                    }
                    if (spaced && run.length() >= 2 && run.length() <= 7) {
                        kind = Kind.FULL;
                    } else if (!paren && run.length() >= 3 && run.length() <= 6
                            && NOT_NAME_ENDINGS.indexOf(run.charAt(run.length() - 1)) < 0) {
                        // 長谷川さん and 新発田さん are surnames; 王美玲さん and 小鳥遊心春さん are full names.
                        kind = run.length() >= 4 || givenNameWithin(tokens, k, h) ? Kind.FULL : Kind.PARTIAL;
                    } else if (!paren && run.length() <= 2 && !end.equals("氏") && NOT_NAME_ENDINGS.indexOf(run.charAt(run.length() - 1)) < 0) {
                        kind = Kind.PARTIAL; // a surname the dictionary does not know: 石動さん
                    } else {
                        continue;
                    }
                    start = k;
                }
                addIfNew(c, tokens, found, start, h, kind);
            }
        }
    }

    private static boolean givenNameWithin(List<Token> tokens, int start, int end) {
        for (Token tk : tokens) {
            if (tk.start < end && start < tk.end && tk.givenName() && tk.start > start) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the tokens over [start, end) could be a name: no verbal nouns (相談, 対応); no adverbial nouns or
     * numerals either unless spaced like a name (四月一日 陽翔).
     */
    private static boolean nameLike(List<Token> tokens, int start, int end, boolean spaced) {
        for (Token tk : tokens) {
            if (tk.start < end && start < tk.end && (tk.pos.contains("サ変接続")
                    || !spaced && (tk.pos.contains("副詞可能") || tk.pos.contains("数") || tk.pos.contains("形容動詞")))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The start of a name written as two spaced parts right before {@code h}, the first in kanji or kana and the
     * second in any Japanese script (高橋 ミツ子, みやざき ひなた, 김 서연 aside), each 1–5 characters; −1 when none.
     */
    private static int spacedMixedName(Compact c, int h) {
        String t = c.text;
        int k = h;
        int spaces = 0;
        int secondStart = -1;
        while (k > 0 && nameChar(t.charAt(k - 1)) && h - k < 11) {
            if (c.spacedAfter[k - 1] && k < h) {
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
        String first = t.substring(k, secondStart);
        String second = t.substring(secondStart, h);
        boolean kanaOnly = first.chars().allMatch(ch -> hiragana((char) ch)) && second.chars().allMatch(ch -> hiragana((char) ch));
        boolean mixedScripts = !first.chars().allMatch(ch -> kanji((char) ch)) || !second.chars().allMatch(ch -> kanji((char) ch));
        if (!mixedScripts || first.length() > 5 || second.length() > 5 || first.length() < 1 || second.length() < 2 && kanaOnly
                || containsAny(first + second, DEPARTMENT_CHARS)
                || NOT_NAME_KANA.stream().anyMatch(w -> first.contains(w) || second.contains(w))
                || kanaOnly && (first.length() < 2 || leadingParticle(first + "xxxx") > 0 && first.length() <= 2)) {
            return -1;
        }
        return k;
    }

    private static boolean nameChar(char ch) {
        return kanji(ch) || hiragana(ch) || ch >= 'ァ' && ch <= 'ヶ' || ch == 'ー';
    }

    private static void addIfNew(Compact c, List<Token> tokens, List<Person> found, int start, int end, Kind kind) {
        int first = tokenAt(tokens, start);
        int last = tokenAt(tokens, end - 1);
        if (first < 0 || last < 0 || staff(tokens, first, last + 1) || pseudonymAt(tokens, last + 1)) {
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
        String name = c.text.substring(start, end);
        StringBuilder masked = new StringBuilder();
        for (int k = 0; k < name.length(); k++) {
            masked.append(k < 1 ? name.charAt(k) : '*');
        }
        found.add(new Person(kind, from, to, masked.toString()));
    }

    private static int tokenAt(List<Token> tokens, int pos) {
        for (int k = 0; k < tokens.size(); k++) {
            if (tokens.get(k).start <= pos && pos < tokens.get(k).end) {
                return k;
            }
        }
        return -1;
    }

    private static int leadingParticle(String kana) {
        for (String p : List.of("から", "まで", "より", "で", "に", "が", "は", "を", "の", "と", "も", "へ", "や")) {
            if (kana.startsWith(p) && kana.length() - p.length() >= 4) {
                return p.length();
            }
        }
        return 0;
    }

    private static boolean hiragana(char ch) {
        return ch >= 'ぁ' && ch <= 'ゖ' || ch == 'ー';
    }

    private static boolean kanji(char ch) {
        return Character.UnicodeScript.of(ch) == Character.UnicodeScript.HAN && ch != '〇' || ch == '々';
    }

    private static boolean containsAny(String s, String chars) {
        for (int k = 0; k < s.length(); k++) {
            if (chars.indexOf(s.charAt(k)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int surname(Compact c, List<Token> tokens, int i, List<Person> found) {
        Token surname = tokens.get(i);
        int j = i + 1;
        if (masksAt(tokens, j) > 0 || maskedBefore(tokens, i)) {
            j += masksAt(tokens, j);
            found.add(person(c, Kind.MASKED, surname, tokens.get(j - 1), surname.text.length()));
            return j - i;
        }
        Token last = surname;
        boolean full = false;
        if (j < tokens.size() && tokens.get(j).givenName()) {
            last = tokens.get(j++);
            full = true;
        } else {
            // A given name the dictionary does not know: one to three kanji, or two to four kana (さくら, ゆい), then an
            // honorific or a parenthesis (an age); after a label (氏名：) nothing needs to follow.
            int k = j;
            int chars = 0;
            boolean kana = k < tokens.size() && kanaRun(tokens.get(k).text) && !FUNCTION_WORDS.contains(tokens.get(k).text)
                    && !tokens.get(k).pos.startsWith("助詞");
            while (k < tokens.size() && (kana ? kanaRun(tokens.get(k).text) && !HONORIFICS.contains(tokens.get(k).text)
                    : tokens.get(k).kanji() && !ROLES.contains(tokens.get(k).text)) && chars < 4) {
                chars += tokens.get(k).text.length();
                k++;
            }
            boolean fits = kana ? chars >= 2 && chars <= 4 : chars >= 1 && chars <= 3;
            if (k > j && fits && (k < tokens.size() && (honorific(tokens.get(k)) || tokens.get(k).openParen()))) {
                last = tokens.get(k - 1);
                j = k;
                full = true;
            }
        }
        if (!full && c.spacedAfter[surname.end - 1] && j < tokens.size() && tokens.get(j).kanji()) {
            // 「退職した 平井 拓海 の…」: a surname, a space and one to three kanji, then a space or a particle
            int k = j;
            int chars = 0;
            while (k < tokens.size() && tokens.get(k).kanji() && !ROLES.contains(tokens.get(k).text) && chars < 3) {
                chars += tokens.get(k).text.length();
                k++;
            }
            boolean closed = k < tokens.size() && (c.spacedAfter[tokens.get(k - 1).end - 1] || tokens.get(k).pos.startsWith("助詞")
                    || isOneOf(tokens.get(k).text, "、", "。", "\n"));
            if (chars >= 1 && chars <= 3 && closed) {
                last = tokens.get(k - 1);
                j = k;
                full = true;
            }
        }
        if (j < tokens.size() && masksAt(tokens, j) > 0) {
            j += masksAt(tokens, j);
            found.add(person(c, Kind.MASKED, surname, tokens.get(j - 1), surname.text.length()));
            return j - i;
        }
        if (pseudonymAt(tokens, j)) {
            found.add(person(c, Kind.MASKED, surname, last, surname.text.length()));
            return j - i;
        }
        Kind kind;
        if (staff(tokens, i, j)) {
            kind = Kind.STAFF;
        } else if (full) {
            kind = Kind.FULL;
        } else if (j < tokens.size() && honorific(tokens.get(j))) {
            kind = Kind.PARTIAL;
        } else if (j < tokens.size() && tokens.get(j).openParen() && !staffInParens(tokens, j)) {
            kind = Kind.PARTIAL; // 小林（滞納整理番号 …）, 西村（H2.11.3生）
        } else {
            return j - i; // a bare surname: in Japanese offices, a colleague
        }
        found.add(person(c, kind, surname, last, surname.text.length()));
        return j - i;
    }

    /** The value of a subject label up to a parenthesis, a comma, an honorific or the line's end, as a name. */
    private static int labelled(Compact c, List<Token> tokens, int i, List<Person> found) {
        int j = i;
        int chars = 0;
        boolean masked = false;
        while (j < tokens.size() && chars <= 12) {
            Token t = tokens.get(j);
            if (t.openParen() || honorific(t) || isOneOf(t.text, "、", "，", ",", "。", "\n", "：", ":") || t.text.contains("\n")
                    || t.pos.startsWith("助詞") || t.pos.contains("数")) {
                break;
            }
            masked |= t.mask();
            chars += t.text.length();
            j++;
        }
        if (j == i || chars < 2 || chars > 12) {
            return 0;
        }
        if (masked || pseudonymAt(tokens, j)) {
            found.add(person(c, Kind.MASKED, tokens.get(i), tokens.get(j - 1), 0));
            return j - i;
        }
        String value = c.text.substring(tokens.get(i).start, tokens.get(j - 1).end);
        boolean full = c.spaced(tokens.get(i).start, tokens.get(j - 1).end) || j - i >= 2 || value.length() >= 4
                || value.contains(" ") || value.contains("・");
        Token first = tokens.get(i);
        int keep = first.surname() ? first.text.length() : Math.min(1, value.length());
        found.add(person(c, full ? Kind.FULL : Kind.PARTIAL, first, tokens.get(j - 1), keep));
        return j - i;
    }

    /** Whether the parenthesis at {@code j} holds a department or an extension: 田中（福祉課）, 佐藤（内線2150）. */
    private static boolean staffInParens(List<Token> tokens, int j) {
        for (int k = j + 1; k < Math.min(tokens.size(), j + 6); k++) {
            String t = tokens.get(k).text;
            if (t.equals("）") || t.equals(")")) {
                return false;
            }
            if (t.endsWith("課") || t.endsWith("係") || t.endsWith("室") || t.equals("内線") || t.equals("担当") || ROLES.contains(t)
                    || t.startsWith("敬称")) {
                return true;
            }
        }
        return false;
    }

    /** Tokens {@code k - 2} .. {@code k} joined: 査察/指導/員 → 査察指導員. */
    private static String joined(List<Token> tokens, int k) {
        StringBuilder b = new StringBuilder();
        for (int x = Math.max(0, k - 2); x <= k; x++) {
            b.append(tokens.get(x).text);
        }
        return b.toString();
    }

    /** Whether a given name starts at {@code j}: a dictionary one, or kana before a personal suffix (さくらちゃん). */
    private static boolean givenNameFollows(List<Token> tokens, int j) {
        if (j >= tokens.size()) {
            return false;
        }
        if (tokens.get(j).givenName()) {
            return true;
        }
        int k = j;
        int chars = 0;
        while (k < tokens.size() && kanaRun(tokens.get(k).text) && !HONORIFICS.contains(tokens.get(k).text) && chars < 5) {
            chars += tokens.get(k).text.length();
            k++;
        }
        return k > j && chars >= 2 && k < tokens.size() && tokens.get(k).pos.startsWith("名詞-接尾-人名");
    }

    private static boolean kanaRun(String text) {
        for (int k = 0; k < text.length(); k++) {
            char ch = text.charAt(k);
            if (!(ch >= 'ぁ' && ch <= 'ゖ' || ch >= 'ァ' && ch <= 'ヶ' || ch == 'ー')) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    private static int givenName(Compact c, List<Token> tokens, int i, List<Person> found) {
        Token given = tokens.get(i);
        int j = i + 1;
        if (maskedBefore(tokens, i) || pseudonymAt(tokens, j)) {
            found.add(person(c, Kind.MASKED, given, given, 0));
        } else if (j < tokens.size() && honorific(tokens.get(j)) && !staff(tokens, i, j)) {
            found.add(person(c, Kind.PARTIAL, given, given, 0));
        }
        return 1;
    }

    private static int katakana(Compact c, List<Token> tokens, int i, List<Person> found) {
        int j = i;
        int parts = 0;
        int chars = 0;
        while (j < tokens.size()) {
            Token t = tokens.get(j);
            if (t.katakana()) {
                chars += t.text.length();
                if (j == i || !tokens.get(j - 1).katakana()) {
                    parts++;
                }
                j++;
            } else if (t.text.equals("・") || t.text.equals("=") || t.text.equals("＝")) {
                if (j + 1 < tokens.size() && tokens.get(j + 1).katakana()) {
                    j++;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        Token first = tokens.get(i);
        Token last = tokens.get(j - 1);
        String whole = c.text.substring(first.start, last.end);
        if (KATAKANA_COMMON.contains(whole) || whole.length() < 2) {
            return j - i;
        }
        if (j < tokens.size() && masksAt(tokens, j) > 0) {
            found.add(person(c, Kind.MASKED, first, tokens.get(j + masksAt(tokens, j) - 1), whole.length()));
            return j - i + masksAt(tokens, j);
        }
        boolean multiPart = parts >= 2 || c.spaced(first.start, last.end);
        boolean after = j < tokens.size() && (honorific(tokens.get(j)) || multiPart && tokens.get(j).openParen());
        if ((after || multiPart && labelledSubject(tokens, i)) && !staff(tokens, i, j)) {
            boolean full = multiPart || chars >= 5;
            int keep = Math.min(whole.length(), full ? Math.max(2, whole.length() / 2) : whole.length());
            found.add(person(c, full ? Kind.FULL : Kind.PARTIAL, first, last, keep));
        }
        return j - i;
    }

    /** 「박지훈（パク・ジフン）さん」, 「김서연さん」: a Korean name of two to five syllables. */
    private static int hangul(Compact c, List<Token> tokens, int i, List<Person> found) {
        int j = i;
        int chars = 0;
        while (j < tokens.size() && (tokens.get(j).hangul() || tokens.get(j).text.isBlank() && j + 1 < tokens.size()
                && tokens.get(j + 1).hangul())) {
            chars += tokens.get(j).text.strip().length();
            j++;
        }
        int h = j;
        while (h < tokens.size() && tokens.get(h).text.isBlank()) {
            h++;
        }
        boolean after = h < tokens.size() && (honorific(tokens.get(h)) || tokens.get(h).openParen());
        if (chars >= 2 && chars <= 5 && (after || labelledSubject(tokens, i))) {
            found.add(person(c, chars >= 3 ? Kind.FULL : Kind.PARTIAL, tokens.get(i), tokens.get(j - 1), 1));
        }
        return Math.max(1, j - i);
    }

    private static int latin(Compact c, List<Token> tokens, int i, List<Person> found) {
        // "Maria Santos さん", "Mr. Carlos Mendes", "SATO Haruka": two or three name-like words that are not
        // common English or product words. Only messages with a ledger word get here, so a pair is enough.
        int j = i;
        int words = 0;
        int end = i;
        boolean lowerCased = false;
        while (j < tokens.size() && words < 3) {
            Token t = tokens.get(j);
            if (t.latinName() && !LATIN_STOP.contains(t.text.toLowerCase(java.util.Locale.ROOT))) {
                words++;
                lowerCased |= !t.allCaps();
                end = j + 1;
                j++;
            } else if (t.text.isBlank() && j + 1 < tokens.size() && tokens.get(j + 1).latinName()) {
                j++;
            } else {
                break;
            }
        }
        j = end;
        if (words >= 2 && lowerCased && !staff(tokens, i, j)) {
            found.add(person(c, Kind.FULL, tokens.get(i), tokens.get(j - 1), tokens.get(i).text.length()));
        } else if (words == 1 && titled(tokens, i)) {
            found.add(person(c, Kind.PARTIAL, tokens.get(i), tokens.get(i), tokens.get(i).text.length()));
        }
        return Math.max(1, j - i);
    }

    /** 「Ms. Chen」: a Latin title before the word. */
    private static boolean titled(List<Token> tokens, int i) {
        for (int k = i - 1; k >= Math.max(0, i - 3); k--) {
            String t = tokens.get(k).text;
            if (isOneOf(t, "Mr", "Ms", "Mrs", "Miss", "Dr")) {
                return true;
            }
            if (!t.isBlank() && !t.equals(".")) {
                return false;
            }
        }
        return false;
    }

    /** Latin words that are not names in a Japanese office's chat. */
    private static final java.util.Set<String> LATIN_STOP = java.util.Set.of("mr", "ms", "mrs", "miss", "dr", "microsoft",
            "teams", "google", "zoom", "windows", "office", "excel", "word", "outlook", "chrome", "edge", "meet", "webex",
            "line", "slack", "box", "cisco", "apple", "amazon", "japan", "tokyo", "osaka", "city", "hall", "center",
            "centre", "support", "help", "desk", "note", "tax", "notice", "meeting", "update", "please", "thanks", "thank",
            "dear", "hi", "hello", "regards", "best", "fyi", "tbd", "asap", "id", "pdf", "csv", "url", "dv", "npo", "cw",
            "ok", "re", "fw", "fwd", "subject", "from", "to", "cc", "date", "yes", "no", "the", "this", "that", "and",
            "for", "can", "could", "will", "debtor", "child", "applicant", "case", "file", "form", "list", "status",
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
            "april", "may", "june", "july", "august", "september", "october", "november", "december", "vpn", "pc", "it",
            "wi", "fi", "lan", "usb", "ai", "faq", "qa", "mail", "email", "web", "site", "system", "server", "data");

    /**
     * Whether the name at tokens [i, j) is staff: a role follows or precedes it, or it is the writer's own
     * (佐藤です). A surname addressed at the start of a line (田中さん、…) is not taken for a colleague: in the notes
     * staff write, it is as often the person the facts are about, and a surname alone only asks for a confirmation.
     */
    private static boolean staff(List<Token> tokens, int i, int j) {
        int after = j;
        boolean honored = false;
        if (after < tokens.size() && honorific(tokens.get(after)) && !tokens.get(after).text.equals("宅")) {
            honored = true;
            Token h = tokens.get(after);
            after++;
            if (h.text.equals("先生")) {
                return true;
            }
        }
        if (after < tokens.size()) {
            Token next = tokens.get(after);
            if (ROLES.contains(next.text) || !honored && next.text.equals("です") && (i == 0 || precededBy(tokens, i, "の"))) {
                return true;
            }
            if (after + 1 < tokens.size() && ROLES.contains(next.text + tokens.get(after + 1).text)) {
                return true;
            }
        }
        // 福祉課の中島 / 担当CWの山田 / 担当：佐藤
        for (int k = i - 1; k >= Math.max(0, i - 3); k--) {
            String p = tokens.get(k).text;
            if (STAFF_BEFORE.contains(p) || p.endsWith("課") || p.endsWith("係") || p.endsWith("センター")
                    || STAFF_TITLE_ENDS.stream().anyMatch(joined(tokens, k)::endsWith)) {
                return true;
            }
            if (!isOneOf(p, "の", "は", "：", ":", "・", "　", " ", "、")) {
                break;
            }
        }
        if (i == 0 && j < tokens.size() && tokens.get(j).text.equals("です")) {
            return true;
        }
        // NPO法人ひだまりの岡本さん, 〇〇法律事務所の林弁護士: someone speaking for an organization
        for (int k = i - 1; k >= Math.max(0, i - 6); k--) {
            String p = tokens.get(k).text;
            if (isOneOf(p, "、", "。", "\n", "，", ",") || p.contains("\n")) {
                break;
            }
            if (ORGANIZATIONS.stream().anyMatch(p::contains)) {
                return true;
            }
        }
        return false;
    }

    /** Kana words that end a sentence or a phrase rather than start a given name. */
    private static final java.util.Set<String> FUNCTION_WORDS = java.util.Set.of("です", "ます", "でした", "でし", "から",
            "まで", "より", "など", "だけ", "って", "ので", "けど", "には", "では", "とか", "ね", "よ");

    /** Words of organizations whose people act in their role. */
    private static final List<String> ORGANIZATIONS = List.of("法人", "株式会社", "有限会社", "協会", "事務所", "病院",
            "クリニック", "大学", "NPO", "社協", "協議会", "財団", "組合");

    /** Endings of staff titles written before a name: 査察指導員の荻野, 保健師 佐藤. */
    private static final List<String> STAFF_TITLE_ENDS = List.of("指導員", "相談員", "支援員", "専門員", "調査員", "徴収員",
            "保健師", "看護師", "福祉士", "心理士", "心理司", "福祉司", "指導主事", "主査", "主任", "主幹");

    /** Labels of a form or note whose value is the person the record is about. */
    private static final java.util.Set<String> SUBJECT_LABELS = java.util.Set.of("氏名", "申請者", "児童", "対象者", "相談者",
            "受給者", "世帯主", "本人", "対象児童", "被保護者", "滞納者", "通告児童", "児童氏名", "名前", "対象児", "利用者", "被相談者",
            "納税者", "納税義務者", "債務者", "請求者", "届出人", "転入者", "転出者", "患者", "要保護児童", "保護者", "宛先", "宛名",
            "所有者", "申告者", "相手方", "被害者", "加害者", "児童名", "生徒", "生徒名", "対象",
            "妻", "夫", "長男", "長女", "次男", "次女", "三男", "三女", "母", "父", "祖母", "祖父", "世帯員", "同居人", "配偶者");

    /** How many mask tokens start at {@code i} when an honorific follows them, else 0. */
    private static int maskedHonorific(List<Token> tokens, int i) {
        int n = masksAt(tokens, i);
        return n > 0 && i + n < tokens.size() && honorific(tokens.get(i + n)) ? n : 0;
    }

    private static boolean pseudonymLetter(Token t) {
        if (t.text.length() != 1) {
            return false;
        }
        char ch = t.text.charAt(0);
        return ch >= 'A' && ch <= 'Z' || ch >= 'Ａ' && ch <= 'Ｚ' || "甲乙丙丁".indexOf(ch) >= 0;
    }

    /** Family words that label a name without a colon: 「妻 ブイ・ティ・マイ」, 「世帯主 山田太郎」. */
    private static final java.util.Set<String> FAMILY_LABELS = java.util.Set.of("妻", "夫", "長男", "長女", "次男", "次女",
            "三男", "三女", "母", "父", "祖母", "祖父", "世帯主", "世帯員", "同居人", "配偶者");

    /**
     * Whether the name at token {@code i} follows a subject label: 「児童氏名：」, 「申請者:」; or, without a colon,
     * a family word before something that looks like a name.
     */
    private static boolean labelledSubject(List<Token> tokens, int i) {
        int k = i - 1;
        if (k >= 0 && isOneOf(tokens.get(k).text, "：", ":", "　", " ", "】")) {
            k--;
        } else {
            Token t = tokens.get(i);
            boolean family = k >= 0 && (FAMILY_LABELS.contains(tokens.get(k).text) || SUBJECT_LABELS.contains(tokens.get(k).text)
                    || k >= 1 && (FAMILY_LABELS.contains(tokens.get(k - 1).text + tokens.get(k).text)
                    || SUBJECT_LABELS.contains(tokens.get(k - 1).text + tokens.get(k).text)));
            return family && (t.surname() || t.givenName() || t.katakana() || t.latinName() || t.place());
        }
        if (k < 0) {
            return false;
        }
        StringBuilder label = new StringBuilder();
        for (; k >= 0 && label.length() < 6; k--) {
            label.insert(0, tokens.get(k).text);
            if (SUBJECT_LABELS.contains(label.toString())) {
                return true;
            }
        }
        return false;
    }

    private static boolean precededBy(List<Token> tokens, int i, String text) {
        return i > 0 && tokens.get(i - 1).text.equals(text);
    }

    private static boolean honorific(Token t) {
        return HONORIFICS.contains(t.text) || t.pos.startsWith("名詞-接尾-人名");
    }

    private static int masksAt(List<Token> tokens, int j) {
        int n = 0;
        while (j + n < tokens.size() && tokens.get(j + n).mask()) {
            n++;
        }
        return n;
    }

    private static boolean maskedBefore(List<Token> tokens, int i) {
        return i > 0 && tokens.get(i - 1).mask();
    }

    /** 「（仮名）」 or 「(仮名)」 right after the name, possibly after an honorific. */
    private static boolean pseudonymAt(List<Token> tokens, int j) {
        for (int k = j; k < Math.min(tokens.size(), j + 3); k++) {
            if (tokens.get(k).text.equals("仮名")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOneOf(String s, String... options) {
        for (String o : options) {
            if (s.equals(o)) {
                return true;
            }
        }
        return false;
    }

    private static Person person(Compact c, Kind kind, Token first, Token last, int keep) {
        int start = c.source(first.start);
        int end = c.sourceEnd(last.end);
        String name = c.text.substring(first.start, last.end);
        StringBuilder masked = new StringBuilder(name.length());
        for (int k = 0; k < name.length(); k++) {
            char ch = name.charAt(k);
            masked.append(k < keep || MASKS.indexOf(ch) >= 0 ? ch : '*');
        }
        return new Person(kind, start, end, masked.toString());
    }

    /** A token of the compacted text. */
    private record Token(String text, String pos, int start, int end) {
        boolean surname() {
            return pos.endsWith("人名-姓");
        }

        boolean givenName() {
            return pos.endsWith("人名-名");
        }

        boolean hangul() {
            return !text.isEmpty() && text.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HANGUL);
        }

        boolean place() {
            return pos.contains("固有名詞-地域");
        }

        boolean mask() {
            for (int k = 0; k < text.length(); k++) {
                if (MASKS.indexOf(text.charAt(k)) < 0) {
                    return false;
                }
            }
            return !text.isEmpty();
        }

        boolean kanji() {
            for (int k = 0; k < text.length(); k++) {
                if (Character.UnicodeScript.of(text.charAt(k)) != Character.UnicodeScript.HAN || text.charAt(k) == '〇') {
                    return false;
                }
            }
            return !text.isEmpty() && pos.startsWith("名詞") && !pos.contains("接尾-人名") && !pos.contains("助数詞")
                    && !pos.contains("数");
        }

        boolean kana() {
            for (int k = 0; k < text.length(); k++) {
                char ch = text.charAt(k);
                if (!(ch >= 'ぁ' && ch <= 'ゖ' || ch >= 'ァ' && ch <= 'ヶ' || ch == 'ー')) {
                    return false;
                }
            }
            return !text.isEmpty() && !HONORIFICS.contains(text) && !pos.startsWith("助") && !pos.contains("接尾");
        }

        boolean katakana() {
            for (int k = 0; k < text.length(); k++) {
                char ch = text.charAt(k);
                if (!(ch >= 'ァ' && ch <= 'ヶ' || ch == 'ー' || ch >= 'ｦ' && ch <= 'ﾟ')) {
                    return false;
                }
            }
            return !text.isEmpty();
        }

        /** "Santos" or "SATO". */
        boolean latinName() {
            return latinCapitalized() || allCaps();
        }

        boolean allCaps() {
            if (text.length() < 2 || text.length() > 12) {
                return false;
            }
            for (int k = 0; k < text.length(); k++) {
                if (text.charAt(k) < 'A' || text.charAt(k) > 'Z') {
                    return false;
                }
            }
            return true;
        }

        /** "Santos", "Nguyễn", "Thị": a capital then small letters, Latin script (with diacritics). */
        boolean latinCapitalized() {
            if (text.length() < 2 || !Character.isUpperCase(text.codePointAt(0)) || !latinScript(text.codePointAt(0))) {
                return false;
            }
            for (int k = Character.charCount(text.codePointAt(0)); k < text.length(); k += Character.charCount(text.codePointAt(k))) {
                int cp = text.codePointAt(k);
                if (!Character.isLowerCase(cp) || !latinScript(cp)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean latinScript(int cp) {
            return Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN;
        }

        boolean openParen() {
            return text.equals("（") || text.equals("(");
        }
    }

    /**
     * The text with invisible characters removed and white space between Japanese characters dropped (山 田 太 郎 →
     * 山田太郎), mapped back to the original.
     */
    private static final class Compact {
        final String text;
        final String original;
        final int[] source;
        final boolean[] spacedAfter;

        private Compact(String text, String original, int[] source, boolean[] spacedAfter) {
            this.text = text;
            this.original = original;
            this.source = source;
            this.spacedAfter = spacedAfter;
        }

        static Compact of(String original) {
            StringBuilder out = new StringBuilder(original.length());
            int[] source = new int[original.length() + 1];
            boolean[] spacedAfter = new boolean[original.length() + 1];
            for (int i = 0; i < original.length(); i++) {
                char ch = original.charAt(i);
                if (DigitRuns.invisible(ch)) {
                    continue;
                }
                if ((ch == ' ' || ch == '\u3000') && out.length() > 0 && japanese(out.charAt(out.length() - 1))
                        && i + 1 < original.length() && japanese(original.charAt(i + 1))) {
                    spacedAfter[out.length() - 1] = true;
                    continue;
                }
                source[out.length()] = i;
                out.append(ch);
            }
            source[out.length()] = original.length();
            return new Compact(out.toString(), original, source, spacedAfter);
        }

        int source(int index) {
            return source[index];
        }

        int sourceEnd(int endIndex) {
            return endIndex == 0 ? 0 : source[endIndex - 1] + 1;
        }

        boolean spaced(int from, int to) {
            for (int k = from; k < to - 1; k++) {
                if (spacedAfter[k]) {
                    return true;
                }
            }
            return false;
        }

        private static boolean japanese(char ch) {
            Character.UnicodeScript s = Character.UnicodeScript.of(ch);
            return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                    || s == Character.UnicodeScript.KATAKANA || ch == 'ー' || MASKS.indexOf(ch) >= 0 && ch > 0x7f;
        }
    }

    /**
     * The katakana reading of a word that has kanji in it (生活保護 → セイカツホゴ), or null when it has none or a part
     * has no known reading.
     */
    static String reading(String word) {
        if (word.codePoints().noneMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN)) {
            return null;
        }
        // Dictionaries are rebuilt when an org's terms change; the readings of their words are not.
        String r = READINGS.computeIfAbsent(word, w -> {
            String read = TOKENIZER.get().reading(w);
            return read == null ? "" : read;
        });
        return r.isEmpty() ? null : r;
    }

    private static final java.util.Map<String, String> READINGS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A reusable Kuromoji tokenizer. */
    private static final class Tokens {
        private final JapaneseTokenizer tokenizer = new JapaneseTokenizer(null, false, JapaneseTokenizer.Mode.NORMAL);
        private final CharTermAttribute term = tokenizer.addAttribute(CharTermAttribute.class);
        private final PartOfSpeechAttribute pos = tokenizer.addAttribute(PartOfSpeechAttribute.class);
        private final OffsetAttribute offset = tokenizer.addAttribute(OffsetAttribute.class);
        private final org.apache.lucene.analysis.ja.tokenattributes.ReadingAttribute readingAttr =
                tokenizer.addAttribute(org.apache.lucene.analysis.ja.tokenattributes.ReadingAttribute.class);

        String reading(String text) {
            StringBuilder out = new StringBuilder();
            try {
                tokenizer.setReader(new StringReader(text));
                tokenizer.reset();
                while (tokenizer.incrementToken()) {
                    String r = readingAttr.getReading();
                    if (r == null) {
                        String t = term.toString();
                        if (!t.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.KATAKANA
                                || Character.UnicodeScript.of(cp) == Character.UnicodeScript.HIRAGANA)) {
                            return null;
                        }
                        r = t;
                    }
                    out.append(r);
                }
                tokenizer.end();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                try {
                    tokenizer.close();
                } catch (IOException ignored) {
                    // a StringReader does not fail to close
                }
            }
            return out.toString();
        }

        List<Token> tokenize(String text) {
            List<Token> out = new ArrayList<>(text.length() / 2 + 1);
            try {
                tokenizer.setReader(new StringReader(text));
                tokenizer.reset();
                while (tokenizer.incrementToken()) {
                    String p = pos.getPartOfSpeech();
                    out.add(new Token(term.toString(), p == null ? "" : p, offset.startOffset(), offset.endOffset()));
                }
                tokenizer.end();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                try {
                    tokenizer.close();
                } catch (IOException ignored) {
                    // a StringReader does not fail to close
                }
            }
            return out;
        }
    }
}
