package jp.kairan.server.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Personal identifiers in running text (DLP-NOTES.md §1): My Number, 住民票コード and 基礎年金番号. Corporate
 * Numbers (法人番号) are public and never reported, not even when their last twelve digits pass the My Number check.
 *
 * <p>A twelve-digit run passing the My Number check (and not one digit repeated) is blocked when a My Number keyword
 * stands near it, allowed when the nearest label says it is something else (注文番号, 電話, …), and otherwise a
 * warning: one random number in ten passes the check. 住民票コード and 基礎年金番号 count only next to their keywords.
 * Pure and thread-safe.
 */
final class IdentifierDetector {
    /** How far before a number (in characters of the original text) a label counts. */
    static final int WINDOW_BEFORE = 100;
    /** How far after a number a keyword counts ("…123456789018（マイナンバー）"). */
    static final int WINDOW_AFTER = 30;
    /** How far after a number another label counts: right behind it only ("…0001（注文番号）"). */
    static final int OTHER_WINDOW_AFTER = 6;
    /**
     * Labels precede values in Japanese; a word after the number is weighed as if this much further away, so that
     * "個人番号は 1347-5393-9373、口座は…" reads as a My Number.
     */
    static final int AFTER_PENALTY = 10;

    static final List<String> MY_NUMBER_KEYWORDS = folded("マイナンバー", "個人番号", "my number", "mynumber", "共通番号",
            "通知カード", "個人識別番号");
    static final List<String> RESIDENT_CODE_KEYWORDS = folded("住民票コード", "住基", "住民基本台帳");
    static final List<String> PENSION_KEYWORDS = folded("基礎年金番号", "年金番号", "年金手帳");
    /** Labels of other twelve-digit numbers that pass the My Number check by chance. */
    static final List<String> OTHER_NUMBER_LABELS = folded("注文番号", "受付番号", "問合せ番号", "問い合わせ番号", "伝票番号",
            "管理番号", "整理番号", "請求番号", "契約番号", "予約番号", "申込番号", "会社法人等番号", "法人番号", "登録番号", "免許証",
            "照会番号", "電話", "tel", "携帯", "fax", "口座", "シリアル", "製造番号", "品番", "型番", "jan", "伝票", "order", "invoice",
            "タイムスタンプ", "日時", "ログ", "会議id", "ミーティングid", "meetingid", "ウェビナーid", "パスコード", "passcode",
            "zoom", "teams", "資産番号", "追跡番号", "顧客番号", "会員番号", "職員番号", "社員番号", "証券番号", "被保険者番号",
            "保険証", "郵便", "内線", "文書番号", "案件番号", "チケット", "ticket", "着信", "+81");
    /** Words that end a label of some other number ("資産番号", "会員no."), when no keyword covers them. */
    static final List<String> GENERIC_LABEL_ENDS = folded("番号", "no.", "id", "コード");

    private IdentifierDetector() {
    }

    /** The identifiers in {@code text}, in order. */
    static List<Finding> find(String text) {
        return find(text, null);
    }

    /** The identifiers in {@code text}, in order, reusing its folded form when the caller has it. */
    static List<Finding> find(String text, FoldedText alreadyFolded) {
        List<Finding> found = new ArrayList<>();
        FoldedText folded = alreadyFolded;
        for (DigitRuns.Run run : DigitRuns.find(text)) {
            String d = run.digits();
            if (d.length() < 10 || d.length() > 12) {
                continue; // 13 digits: a Corporate Number or something longer, never a My Number
            }
            if (run.start() > 0 && (text.charAt(run.start() - 1) == '+' || text.charAt(run.start() - 1) == '＋')) {
                continue; // +81 90-…: an international telephone number
            }
            if (folded == null) {
                folded = FoldedText.of(text);
            }
            if (d.length() == 12 && CheckDigits.myNumber(d) && !CheckDigits.degenerate(d)) {
                int keyword = nearest(folded, MY_NUMBER_KEYWORDS, run, WINDOW_AFTER);
                int other = Math.min(positive(nearestLabel(folded, OTHER_NUMBER_LABELS, run)),
                        positive(genericLabel(folded, run)));
                other = other == Integer.MAX_VALUE ? -1 : other;
                if (keyword >= 0 && (other < 0 || keyword <= other)) {
                    found.add(Finding.classI("my_number", Verdict.BLOCK, run.start(), run.end(), mask(d, 4, 4)));
                } else if (other < 0) {
                    found.add(Finding.classI("my_number", Verdict.WARN, run.start(), run.end(), mask(d, 4, 4)));
                }
            } else if (d.length() == 11 && nearest(folded, RESIDENT_CODE_KEYWORDS, run, WINDOW_AFTER) >= 0 && !CheckDigits.degenerate(d)) {
                found.add(Finding.classI("resident_code", Verdict.BLOCK, run.start(), run.end(), mask(d, 11, 0)));
            } else if (d.length() == 10 && pensionLayout(run) && nearest(folded, PENSION_KEYWORDS, run, WINDOW_AFTER) >= 0
                    && !CheckDigits.degenerate(d) && !labelledOtherwise(folded, run)) {
                found.add(Finding.classI("basic_pension_number", Verdict.BLOCK, run.start(), run.end(), mask(d, 4, 0)));
            }
        }
        return found;
    }

    /**
     * The distance (in original characters) from the run to the closest occurrence of any of {@code keywords}
     * within the window, or −1 when there is none. A word after the number counts as if {@link #AFTER_PENALTY}
     * further away.
     */
    private static int nearest(FoldedText folded, List<String> keywords, DigitRuns.Run run, int windowAfter) {
        return closest(folded, keywords, run, windowAfter, false);
    }

    /**
     * The distance to the closest label of some other number written the generic way (資産番号, 会員No., 会議ID) before
     * the run: a label end preceded by a kanji or katakana word and not part of a My Number keyword; −1 when none.
     */
    private static int genericLabel(FoldedText folded, DigitRuns.Run run) {
        String f = folded.text();
        int best = -1;
        for (String end : GENERIC_LABEL_ENDS) {
            int from = 0;
            int at;
            while ((at = f.indexOf(end, from)) >= 0) {
                from = at + 1;
                if (at == 0 || folded.source(at) >= run.start() || !wordChar(folded.original().charAt(folded.source(at - 1)))
                        || insideKeyword(f, at, end.length()) || afterKeyword(f, at)) {
                    continue;
                }
                int distance = run.start() - folded.source(at);
                if (distance <= WINDOW_BEFORE && (best < 0 || distance < best)) {
                    best = distance;
                }
            }
        }
        return best;
    }

    private static boolean wordChar(char c) {
        Character.UnicodeScript s = Character.UnicodeScript.of(c);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.KATAKANA && c != 'ノ' || c >= 'a' && c <= 'z'
                || c >= 'A' && c <= 'Z';
    }

    private static boolean insideKeyword(String folded, int at, int length) {
        for (List<String> keywords : List.of(MY_NUMBER_KEYWORDS, RESIDENT_CODE_KEYWORDS, PENSION_KEYWORDS)) {
            for (String k : keywords) {
                int from = Math.max(0, at + length - k.length());
                int found = folded.indexOf(k, from);
                if (found >= 0 && found <= at && found + k.length() >= at + length) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean onlyBrackets(String text, int from, int to) {
        for (int k = from; k < to && k < text.length(); k++) {
            if (" 　（(【[「:：".indexOf(text.charAt(k)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The distance to the closest label of another number that labels this run: before it with nothing but
     * punctuation, particles or 番号 between (「注文番号：」, 「TEL 」, 「会議IDは」, not 「電話で確認して」), or right after it in
     * brackets; −1 when none.
     */
    private static int nearestLabel(FoldedText folded, List<String> labels, DigitRuns.Run run) {
        return closest(folded, labels, run, OTHER_WINDOW_AFTER, true);
    }

    private static int closest(FoldedText folded, List<String> words, DigitRuns.Run run, int windowAfter, boolean labels) {
        String f = folded.text();
        String original = folded.original();
        int best = -1;
        for (String k : words) {
            int from = 0;
            int fi;
            while ((fi = f.indexOf(k, from)) >= 0) {
                from = fi + 1;
                int start = folded.source(fi);
                int end = folded.sourceEnd(fi + k.length() - 1);
                int distance;
                if (end <= run.start()) {
                    distance = run.start() - start;
                    if (distance > WINDOW_BEFORE + k.length() || labels && !labelGap(original, end, run.start())) {
                        continue;
                    }
                } else if (start >= run.end()) {
                    distance = start - run.end();
                    if (distance > windowAfter || labels && !onlyBrackets(original, run.end(), start)) {
                        continue;
                    }
                    distance += AFTER_PENALTY;
                } else {
                    continue;
                }
                if (best < 0 || distance < best) {
                    best = distance;
                }
            }
        }
        return best;
    }

    /** Whether only what may stand between a label and its value lies in [from, to). */
    private static boolean labelGap(String text, int from, int to) {
        String gap = text.substring(from, to).replace("番号", "").replace("No.", "").replace("no.", "").replace("NO.", "");
        if (gap.length() > 8) {
            return false;
        }
        for (int k = 0; k < gap.length(); k++) {
            if (" 　:：はがのを、,(（【「#＃-=＝→⇒)）】」".indexOf(gap.charAt(k)) < 0 && !Character.isDigit(gap.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** 基礎年金番号 is written 1234-567890 or as ten digits; 0570-05-1165 is a telephone number. */
    private static boolean pensionLayout(DigitRuns.Run run) {
        int[] src = run.source();
        List<Integer> groups = new ArrayList<>();
        int size = 1;
        for (int k = 1; k < src.length; k++) {
            if (src[k] - src[k - 1] > 1) {
                groups.add(size);
                size = 1;
            } else {
                size++;
            }
        }
        groups.add(size);
        return groups.equals(List.of(10)) || groups.equals(List.of(4, 6));
    }

    /** Whether a label of some other number stands right before the run (電話 0570-…). */
    private static boolean labelledOtherwise(FoldedText folded, DigitRuns.Run run) {
        int other = nearestLabel(folded, OTHER_NUMBER_LABELS, run);
        return other >= 0 && other <= 12;
    }

    /** 「個人番号カード 番号…」, 「通知カード番号」: the label ends a My Number keyword's phrase. */
    private static boolean afterKeyword(String folded, int at) {
        for (String k : MY_NUMBER_KEYWORDS) {
            int found = folded.lastIndexOf(k, at - 1);
            if (found >= 0 && at - (found + k.length()) <= 4) {
                return true;
            }
        }
        return false;
    }

    private static int positive(int distance) {
        return distance < 0 ? Integer.MAX_VALUE : distance;
    }

    /** All digits but the last four as {@code *}, in groups of {@code first} then {@code group} (0: no more groups). */
    static String mask(String digits, int first, int group) {
        StringBuilder out = new StringBuilder();
        int keep = digits.length() - 4;
        for (int i = 0; i < digits.length(); i++) {
            boolean boundary = i == first || (group > 0 && i > first && (i - first) % group == 0);
            if (i > 0 && boundary) {
                out.append('-');
            }
            out.append(i < keep ? '*' : digits.charAt(i));
        }
        return out.toString();
    }

    private static List<String> folded(String... keywords) {
        return java.util.Arrays.stream(keywords).map(FoldedText::foldKeyword).toList();
    }
}
