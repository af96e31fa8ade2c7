package jp.kairan.server.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topic dictionaries: the built-in word lists ({@code /policy/*.txt}) plus an organization's own terms, indexed
 * for one pass over a message. Words match as substrings of the folded text (width, case, kana and spaces ignored),
 * never on word boundaries, which Japanese does not have. Immutable and thread-safe.
 */
public final class Terms {
    /** Longest term an org may add. */
    public static final int MAX_TERM_CHARS = 40;
    /** Readings shorter than this (カゼイ, ジソウ) match too many other words to be used. */
    static final int MIN_READING_CHARS = 4;
    /** Most terms an org may add. */
    public static final int MAX_ORG_TERMS = 2_000;

    /** What a word does: a {@link #CUE} makes a message about a person class I; a {@link #GUARD} marks policy talk. */
    public enum Kind {
        CUE, GUARD;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static java.util.Optional<Kind> parse(String wire) {
            for (Kind k : values()) {
                if (k.wireName().equals(wire)) {
                    return java.util.Optional.of(k);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** One word of a dictionary, as written. */
    public record Term(Topic topic, Kind kind, String term) {
    }

    /** One occurrence of a term in a message, in original-text indices. */
    record Hit(Topic topic, Kind kind, int start, int end) {
    }

    private record Entry(String folded, Topic topic, Kind kind) {
    }

    private static volatile Terms builtIn;

    private final List<Term> builtInTerms;
    private final List<Term> orgTerms;
    private final Map<Character, Entry[]> byFirstChar;

    private Terms(List<Term> builtInTerms, List<Term> orgTerms) {
        this.builtInTerms = builtInTerms;
        this.orgTerms = orgTerms;
        Map<Character, List<Entry>> index = new HashMap<>();
        Set<Entry> seen = new LinkedHashSet<>();
        for (List<Term> list : List.of(builtInTerms, orgTerms)) {
            for (Term t : list) {
                List<String> forms = new ArrayList<>(2);
                forms.add(FoldedText.foldKeyword(t.term()));
                if (t.kind() == Kind.CUE) {
                    // Voice input and kana-only notes write 差押 as さしおさえ: the reading matches too.
                    String reading = NameTokens.reading(t.term());
                    if (reading != null && reading.length() >= MIN_READING_CHARS) {
                        forms.add(FoldedText.foldKeyword(reading));
                    }
                }
                for (String folded : forms) {
                    Entry e = new Entry(folded, t.topic(), t.kind());
                    if (!folded.isEmpty() && seen.add(e)) {
                        index.computeIfAbsent(folded.charAt(0), c -> new ArrayList<>()).add(e);
                    }
                }
            }
        }
        Map<Character, Entry[]> frozen = new HashMap<>(index.size() * 2);
        index.forEach((c, entries) -> {
            entries.sort(Comparator.comparingInt((Entry e) -> e.folded().length()).reversed());
            frozen.put(c, entries.toArray(new Entry[0]));
        });
        this.byFirstChar = frozen;
    }

    /** The built-in dictionaries, loaded once. */
    public static Terms builtIn() {
        Terms t = builtIn;
        if (t == null) {
            synchronized (Terms.class) {
                t = builtIn;
                if (t == null) {
                    t = new Terms(loadBuiltIn(), List.of());
                    builtIn = t;
                }
            }
        }
        return t;
    }

    /** These dictionaries plus an organization's own terms (which replace any earlier org terms). */
    public Terms withOrgTerms(List<Term> terms) {
        if (terms.isEmpty() && orgTerms.isEmpty()) {
            return this;
        }
        return new Terms(builtInTerms, List.copyOf(terms));
    }

    /** A term as the dictionaries match it: width, case and kana folded, white space removed. */
    public static String folded(String term) {
        return FoldedText.foldKeyword(term);
    }

    public List<Term> builtInTerms() {
        return builtInTerms;
    }

    public List<Term> orgTerms() {
        return orgTerms;
    }

    /** Every occurrence of every term in {@code text}, in order of position. */
    List<Hit> scan(FoldedText text) {
        String f = text.text();
        List<Hit> hits = null;
        for (int i = 0; i < f.length(); i++) {
            Entry[] candidates = byFirstChar.get(f.charAt(i));
            if (candidates == null) {
                continue;
            }
            for (Entry e : candidates) {
                if (f.startsWith(e.folded(), i)) {
                    if (hits == null) {
                        hits = new ArrayList<>(4);
                    }
                    int last = i + e.folded().length() - 1;
                    hits.add(new Hit(e.topic(), e.kind(), text.source(i), text.sourceEnd(last)));
                }
            }
        }
        return hits == null ? List.of() : hits;
    }

    private static List<Term> loadBuiltIn() {
        List<Term> terms = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            String file = topic == Topic.GENERAL ? "/policy/guards.txt" : "/policy/" + topic.id() + ".txt";
            try (InputStream in = Terms.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("missing built-in dictionary " + file);
                }
                parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), topic, terms);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Collections.unmodifiableList(terms);
    }

    private static void parse(BufferedReader reader, Topic topic, List<Term> into) throws IOException {
        Kind kind = null;
        String line;
        while ((line = reader.readLine()) != null) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("[cue]")) {
                kind = Kind.CUE;
            } else if (line.equals("[guard]")) {
                kind = Kind.GUARD;
            } else if (kind == null) {
                throw new IllegalStateException("dictionary " + topic.id() + ": a word before [cue] or [guard]");
            } else {
                into.add(new Term(topic, kind, line));
            }
        }
    }
}
