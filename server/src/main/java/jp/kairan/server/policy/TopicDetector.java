package jp.kairan.server.policy;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Class-I topics about an identifiable person, and class II markers (DLP-NOTES.md §4–5). A ledger word (生活保護,
 * 滞納, 虐待, …) makes a message class I only together with a person it identifies: an unmasked full name, or a
 * surname or given name with another identifier (an age, a birth date, an address, a case or phone number). A
 * surname alone asks the sender to confirm, unless the message talks about policy, statistics or forms; so does a
 * case number without a name. Masked names, staff in their role and form samples (記入例) are not class I; a
 * masked name with a full birth date still is. Names are only looked for when a ledger word is present, so most
 * messages never reach the tokenizer. Pure and thread-safe.
 */
final class TopicDetector {
    /** How far (in characters) a person may stand from a ledger word in long messages. */
    static final int WINDOW = 200;

    private static final Pattern AGE = Pattern.compile("\\d{1,3}歳|\\d{1,3}才|(?<![a-z])(小|中|高)[1-6](?![0-9])|生後\\d+[かヶケ]?月"
            + "|[(（]\\d{1,3}[)）]");
    private static final Pattern BIRTH_DATE = Pattern.compile(
            "((明治|大正|昭和|平成|令和|[MTSHR])\\s?\\d{1,2}|\\d{4})[年./-]\\s?\\d{1,2}[月./-]\\s?\\d{1,2}日?\\s?(生|生まれ)"
                    + "|生年月日[:\\s]*((明治|大正|昭和|平成|令和|[MTSHR])\\s?\\d{1,2}|\\d{4})");
    private static final Pattern ADDRESS = Pattern.compile("\\d+丁目|\\d+番地|\\d+番\\d+号|\\p{IsHan}\\s?\\d{1,4}-\\d{1,4}(-\\d{1,4})?(?![0-9])");
    private static final Pattern CASE_NUMBER = Pattern.compile(
            "(ケース|世帯|宛名|受給者|相談|受付|受理|事件|管理|整理|顛末簿|台帳|記録)(票|簿)?\\s?(番号|no\\.?|ナンバー|コード|の)\\s?[:：]?\\s?"
                    + "([a-z\\p{IsHan}]{0,3}-?[0-9a-z]*\\d[0-9a-z-]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern PHONE = Pattern.compile("0\\d{1,4}-\\d{1,4}-\\d{3,4}|0[789]0\\d{8}");
    private static final Pattern FULL_BIRTH_DATE = BIRTH_DATE;
    private static final String SAMPLE_WORDS = "記入例|記載例|見本|サンプル|回答例|例文|テンプレート|ダミー";
    private static final Pattern SAMPLE = Pattern.compile(SAMPLE_WORDS);

    private TopicDetector() {
    }

    /** The topic findings in {@code text}, given its folded form and the dictionaries. */
    static List<Finding> find(String text, FoldedText folded, Terms terms) {
        List<Terms.Hit> hits = terms.scan(folded);
        if (hits.isEmpty()) {
            return List.of();
        }
        List<Finding> found = new ArrayList<>();
        boolean personCue = false;
        boolean guarded = false;
        for (Terms.Hit h : hits) {
            if (h.kind() == Terms.Kind.GUARD) {
                guarded = true;
            } else if (h.topic().aboutPerson()) {
                personCue = true;
            } else if (h.topic() == Topic.INTERNAL && found.stream().noneMatch(f -> f.detector().equals(Topic.INTERNAL.id()))) {
                found.add(new Finding(Topic.INTERNAL.id(), ImportanceClass.II, Verdict.BLOCK, h.start(), h.end(),
                        text.substring(h.start(), h.end())));
            }
        }
        if (!personCue) {
            return found;
        }
        String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        if (SAMPLE.matcher(nfkc).find()) {
            return found; // a form sample: 記入例 山田太郎
        }
        boolean address = ADDRESS.matcher(nfkc).find();
        List<int[]> identifiers = identifiers(nfkc);
        boolean anyPerson = false;
        for (PersonFinder.Person p : PersonFinder.find(text)) {
            Terms.Hit cue = nearestCue(hits, p.start(), p.end(), text.length());
            if (cue == null) {
                continue;
            }
            anyPerson |= p.kind() != PersonFinder.Kind.STAFF;
            Verdict verdict = switchVerdict(p.kind(), near(identifiers, p, text.length()), guarded, address, nfkc);
            if (verdict != Verdict.ALLOW) {
                found.add(Finding.classI(cue.topic().id(), verdict, p.start(), p.end(), p.excerpt()));
            }
        }
        if (!anyPerson && !guarded) {
            String number = caseNumber(nfkc);
            if (number != null) {
                Terms.Hit cue = firstPersonCue(hits);
                found.add(Finding.classI(cue.topic().id(), Verdict.WARN, cue.start(), cue.end(), maskDigits(number)));
            }
        }
        return found;
    }

    /** Where the other identifiers stand (in the NFKC text, which keeps the positions of Japanese text). */
    private static List<int[]> identifiers(String nfkc) {
        List<int[]> spans = new ArrayList<>();
        for (Pattern p : List.of(AGE, BIRTH_DATE, ADDRESS, PHONE)) {
            var m = p.matcher(nfkc);
            while (m.find()) {
                spans.add(new int[] {m.start(), m.end()});
            }
        }
        var m = CASE_NUMBER.matcher(nfkc);
        while (m.find()) {
            if (m.group(4).chars().filter(Character::isDigit).count() >= 3) {
                spans.add(new int[] {m.start(), m.end()});
            }
        }
        return spans;
    }

    /** How far an identifier may stand from a partial name to make it identifying. */
    static final int IDENTIFIER_WINDOW = 120;

    /** Whether an identifier stands near the person (anywhere in a short message). */
    private static boolean near(List<int[]> identifiers, PersonFinder.Person p, int length) {
        for (int[] span : identifiers) {
            int distance = span[0] >= p.end() ? span[0] - p.end() : span[1] <= p.start() ? p.start() - span[1] : 0;
            if (length <= 80 || distance <= IDENTIFIER_WINDOW) {
                return true;
            }
        }
        return false;
    }

    /** A case, reception or ledger number with at least three digits, or null. */
    private static String caseNumber(String nfkc) {
        var m = CASE_NUMBER.matcher(nfkc);
        while (m.find()) {
            if (m.group(4).chars().filter(Character::isDigit).count() >= 3) {
                return m.group();
            }
        }
        return null;
    }

    private static Verdict switchVerdict(PersonFinder.Kind kind, boolean otherIdentifier, boolean guarded, boolean address,
                                         String nfkc) {
        switch (kind) {
            case FULL:
                return Verdict.BLOCK;
            case PARTIAL:
                return otherIdentifier ? Verdict.BLOCK : guarded ? Verdict.ALLOW : Verdict.WARN;
            case MASKED:
                // A masked name with a full birth date or a street address is re-identifiable.
                return address || FULL_BIRTH_DATE.matcher(nfkc).find() ? Verdict.BLOCK : Verdict.ALLOW;
            default:
                return Verdict.ALLOW;
        }
    }

    private static Terms.Hit nearestCue(List<Terms.Hit> hits, int start, int end, int length) {
        Terms.Hit best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Terms.Hit h : hits) {
            if (h.kind() != Terms.Kind.CUE || !h.topic().aboutPerson()) {
                continue;
            }
            int distance = h.start() >= end ? h.start() - end : h.end() <= start ? start - h.end() : 0;
            if (distance < bestDistance && (length <= 2 * WINDOW || distance <= WINDOW)) {
                best = h;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static Terms.Hit firstPersonCue(List<Terms.Hit> hits) {
        for (Terms.Hit h : hits) {
            if (h.kind() == Terms.Kind.CUE && h.topic().aboutPerson()) {
                return h;
            }
        }
        throw new IllegalStateException("no person cue");
    }

    private static String maskDigits(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            digits += Character.isDigit(s.charAt(i)) ? 1 : 0;
        }
        int seen = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isDigit(c)) {
                seen++;
                out.append(seen > digits - 2 ? c : '*');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
