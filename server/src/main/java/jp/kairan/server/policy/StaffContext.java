package jp.kairan.server.policy;

import static jp.kairan.server.policy.NameWords.ORGANIZATIONS;
import static jp.kairan.server.policy.NameWords.ROLES;
import static jp.kairan.server.policy.NameWords.STAFF_BEFORE;
import static jp.kairan.server.policy.NameWords.STAFF_TITLE_ENDS;
import static jp.kairan.server.policy.Scripts.isOneOf;

import java.util.List;

/**
 * Whether a name is a member of staff in their role rather than the person a note is about: a role after it
 * (中島係長, 佐藤先生), a department or title before it (福祉課の中島, 査察指導員の荻野, 担当：佐藤), an organization
 * it speaks for (NPO法人ひだまりの岡本さん), or the writer's own name (佐藤です). A surname addressed at the start of
 * a line (田中さん、…) is not taken for a colleague: in the notes staff write, it is as often the person the facts
 * are about, and a surname alone only asks for a confirmation. Pure.
 */
final class StaffContext {
    private StaffContext() {
    }

    /** Whether the name at tokens [i, j) is staff. */
    static boolean staff(List<NameToken> tokens, int i, int j) {
        return roleAfter(tokens, i, j) || staffBefore(tokens, i) || writer(tokens, i, j) || organizationBefore(tokens, i);
    }

    /** 中島係長, 林先生, 佐藤課長補佐; or, without an honorific, 「…の佐藤です」: a role or the writer after the name. */
    private static boolean roleAfter(List<NameToken> tokens, int i, int j) {
        int after = j;
        boolean honored = false;
        if (after < tokens.size() && tokens.get(after).honorific() && !tokens.get(after).text().equals("宅")) {
            if (tokens.get(after).text().equals("先生")) {
                return true;
            }
            honored = true;
            after++;
        }
        if (after >= tokens.size()) {
            return false;
        }
        String next = tokens.get(after).text();
        if (ROLES.contains(next) || !honored && next.equals("です") && (i == 0 || precededBy(tokens, i, "の"))) {
            return true;
        }
        return after + 1 < tokens.size() && ROLES.contains(next + tokens.get(after + 1).text());
    }

    /** 福祉課の中島 / 担当CWの山田 / 担当：佐藤 / 保健師 佐藤: a department or title up to three tokens before. */
    private static boolean staffBefore(List<NameToken> tokens, int i) {
        for (int k = i - 1; k >= Math.max(0, i - 3); k--) {
            String p = tokens.get(k).text();
            if (STAFF_BEFORE.contains(p) || p.endsWith("課") || p.endsWith("係") || p.endsWith("センター")
                    || STAFF_TITLE_ENDS.stream().anyMatch(joined(tokens, k)::endsWith)) {
                return true;
            }
            if (!isOneOf(p, "の", "は", "：", ":", "・", "　", " ", "、")) {
                return false;
            }
        }
        return false;
    }

    /** 「佐藤です」 at the start of the message: the writer. */
    private static boolean writer(List<NameToken> tokens, int i, int j) {
        return i == 0 && j < tokens.size() && tokens.get(j).text().equals("です");
    }

    /** NPO法人ひだまりの岡本さん, 〇〇法律事務所の林弁護士: someone speaking for an organization, in the same sentence. */
    private static boolean organizationBefore(List<NameToken> tokens, int i) {
        for (int k = i - 1; k >= Math.max(0, i - 6); k--) {
            String p = tokens.get(k).text();
            if (isOneOf(p, "、", "。", "\n", "，", ",") || p.contains("\n")) {
                return false;
            }
            if (ORGANIZATIONS.stream().anyMatch(p::contains)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the parenthesis at {@code j} holds a department or an extension: 田中（福祉課）, 佐藤（内線2150）. */
    static boolean staffInParens(List<NameToken> tokens, int j) {
        for (int k = j + 1; k < Math.min(tokens.size(), j + 6); k++) {
            String t = tokens.get(k).text();
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

    private static boolean precededBy(List<NameToken> tokens, int i, String text) {
        return i > 0 && tokens.get(i - 1).text().equals(text);
    }

    /** Tokens {@code k - 2} .. {@code k} joined: 査察/指導/員 → 査察指導員. */
    private static String joined(List<NameToken> tokens, int k) {
        StringBuilder b = new StringBuilder();
        for (int x = Math.max(0, k - 2); x <= k; x++) {
            b.append(tokens.get(x).text());
        }
        return b.toString();
    }
}
