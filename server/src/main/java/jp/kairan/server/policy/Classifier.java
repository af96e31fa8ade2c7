package jp.kairan.server.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The classifier's entry point: plain text in (a message now, an attachment's extracted text later), findings out.
 * Normalizes once, runs the identifier and topic detectors, and orders the findings by position. Pure, no I/O,
 * thread-safe; one instance per set of dictionaries.
 */
public final class Classifier {
    private static final Classifier DEFAULT = new Classifier(Terms.builtIn());

    private final Terms terms;

    public Classifier(Terms terms) {
        this.terms = terms;
    }

    /** The classifier with the built-in dictionaries only. */
    public static Classifier defaults() {
        return DEFAULT;
    }

    public Terms terms() {
        return terms;
    }

    /** Classifies {@code text}. */
    public Classification classify(String text) {
        if (text == null || text.isEmpty()) {
            return Classification.EMPTY;
        }
        FoldedText folded = FoldedText.of(text);
        List<Finding> identifiers = IdentifierDetector.find(text, folded);
        List<Finding> topics = TopicDetector.find(text, folded, terms);
        if (identifiers.isEmpty() && topics.isEmpty()) {
            return Classification.EMPTY;
        }
        List<Finding> all = new ArrayList<>(identifiers.size() + topics.size());
        all.addAll(identifiers);
        all.addAll(topics);
        all.sort(Comparator.comparingInt(Finding::start));
        return new Classification(all);
    }
}
