package jp.kairan.server.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The word lists the name finder judges by, as data: {@code /policy/names/*.txt} on the class path, one entry a
 * line, UTF-8, {@code #} starting a comment line, blank lines ignored, surrounding white space stripped. Each file's
 * header says how its words are used. Loaded once, when the class is first used; a missing, empty or duplicated list
 * fails that first use loudly ({@link ExceptionInInitializerError}) rather than finding fewer names. Immutable and
 * thread-safe.
 *
 * <p>Extending per organization (not built): an org's dictionary would name a list and add words to it, the way
 * {@link Terms#withOrgTerms} adds topic words. The lists would then move from these static fields into an immutable
 * {@code NameWords} instance ({@code builtIn()} plus {@code with(list, words)}, a union, since every use is
 * membership or order-insensitive except {@link #NAME_ENDS} and {@link #PARTICLES}, where org words would go last),
 * carried by {@link Classifier} down to {@link PersonFinder#find}. {@link #parse} already reads any source, so the
 * org's words could be stored and read in this same format.
 */
final class NameWords {
    /** Honorifics after a name: さん, 様, 宅. */
    static final Set<String> HONORIFICS = set("honorifics");
    /** Where a name the dictionary does not know may end, in the order they are tried. */
    static final List<String> NAME_ENDS = list("name_ends");
    /** Roles after a name: 係長, 担当, 先生. */
    static final Set<String> ROLES = set("roles");
    /** Words before a name that make it staff: 課, 担当, 後任. */
    static final Set<String> STAFF_BEFORE = set("staff_before");
    /** Endings of staff titles before a name: 指導員, 保健師. */
    static final List<String> STAFF_TITLE_ENDS = list("staff_title_ends");
    /** Words of organizations whose people act in their role: 法人, 事務所. */
    static final List<String> ORGANIZATIONS = list("organizations");
    /** Labels whose value is the person a record is about: 氏名, 申請者. */
    static final Set<String> SUBJECT_LABELS = set("subject_labels");
    /** Family words that label a name without a colon: 妻, 世帯主. */
    static final Set<String> FAMILY_LABELS = set("family_labels");
    /** Kana words that end a phrase rather than start a given name: です, から. */
    static final Set<String> FUNCTION_WORDS = set("function_words");
    /** Hiragana that make a run a phrase or kinship word: した, おばあ. */
    static final List<String> NOT_NAME_KANA = list("not_name_kana");
    /** Katakana words for kinds of people or things: ヘルパー, センター. */
    static final Set<String> KATAKANA_COMMON = set("katakana_common");
    /** Latin words that are not names, in lower case: teams, thanks. */
    static final Set<String> LATIN_STOP = set("latin_stop");
    /** Latin titles before a name: Mr, Dr. */
    static final Set<String> LATIN_TITLES = set("latin_titles");
    /** What makes a letter a pseudonym: 子 (Ｂ子), 男. */
    static final Set<String> PSEUDONYM_SUFFIXES = set("pseudonym_suffixes");
    /** Particles that may start a kana run before an honorific, in the order they are tried. */
    static final List<String> PARTICLES = list("particles");
    /** Last characters of a run that make it a role or a kind of person: 者, 長. */
    static final String NOT_NAME_ENDINGS = chars("not_name_endings");
    /** Characters of a department's name: 課, 係. */
    static final String DEPARTMENT_CHARS = chars("department_chars");

    private NameWords() {
    }

    private static Set<String> set(String name) {
        return Set.copyOf(list(name));
    }

    private static String chars(String name) {
        StringBuilder b = new StringBuilder();
        for (String c : list(name)) {
            if (c.length() != 1) {
                throw new IllegalStateException("name list " + name + ": \"" + c + "\" is not one character");
            }
            b.append(c);
        }
        return b.toString();
    }

    /** The entries of {@code /policy/names/<name>.txt}, in file order. */
    private static List<String> list(String name) {
        String file = "/policy/names/" + name + ".txt";
        try (InputStream in = NameWords.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing name list " + file);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one list: an entry a line, {@code #} comments; rejects an empty list and a repeated entry. */
    static List<String> parse(BufferedReader reader, String source) throws IOException {
        List<String> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String line;
        while ((line = reader.readLine()) != null) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!seen.add(line)) {
                throw new IllegalStateException("name list " + source + ": \"" + line + "\" twice");
            }
            entries.add(line);
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("name list " + source + " is empty");
        }
        return List.copyOf(entries);
    }
}
