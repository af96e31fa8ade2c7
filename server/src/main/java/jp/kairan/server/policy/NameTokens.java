package jp.kairan.server.policy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.lucene.analysis.ja.JapaneseTokenizer;
import org.apache.lucene.analysis.ja.tokenattributes.PartOfSpeechAttribute;
import org.apache.lucene.analysis.ja.tokenattributes.ReadingAttribute;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Kuromoji (IPADIC, normal mode) for the name finder and the dictionaries: a text's tokens with their parts of speech,
 * and a word's katakana reading. Thread-safe: one tokenizer per thread, and readings cached for every thread.
 */
final class NameTokens {
    private static final ThreadLocal<NameTokens> TOKENIZER = ThreadLocal.withInitial(NameTokens::new);
    /** Dictionaries are rebuilt when an org's terms change; the readings of their words are not. "" is no reading. */
    private static final Map<String, String> READINGS = new ConcurrentHashMap<>();

    private final JapaneseTokenizer tokenizer = new JapaneseTokenizer(null, false, JapaneseTokenizer.Mode.NORMAL);
    private final CharTermAttribute term = tokenizer.addAttribute(CharTermAttribute.class);
    private final PartOfSpeechAttribute pos = tokenizer.addAttribute(PartOfSpeechAttribute.class);
    private final OffsetAttribute offset = tokenizer.addAttribute(OffsetAttribute.class);
    private final ReadingAttribute readingAttr = tokenizer.addAttribute(ReadingAttribute.class);

    private NameTokens() {
    }

    /** The tokens of {@code text}, in order. */
    static List<NameToken> tokenize(String text) {
        return TOKENIZER.get().tokens(text);
    }

    /**
     * The katakana reading of a word that has kanji in it (生活保護 → セイカツホゴ), or null when it has none or a part
     * has no known reading.
     */
    static String reading(String word) {
        if (word.codePoints().noneMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN)) {
            return null;
        }
        String r = READINGS.computeIfAbsent(word, w -> {
            String read = TOKENIZER.get().readingOf(w);
            return read == null ? "" : read;
        });
        return r.isEmpty() ? null : r;
    }

    private List<NameToken> tokens(String text) {
        List<NameToken> out = new ArrayList<>(text.length() / 2 + 1);
        run(text, () -> {
            String p = pos.getPartOfSpeech();
            out.add(new NameToken(term.toString(), p == null ? "" : p, offset.startOffset(), offset.endOffset()));
            return true;
        });
        return out;
    }

    private String readingOf(String text) {
        StringBuilder out = new StringBuilder();
        boolean[] unknown = {false};
        run(text, () -> {
            String r = readingAttr.getReading();
            if (r == null) {
                r = term.toString();
                if (!r.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.KATAKANA
                        || Character.UnicodeScript.of(cp) == Character.UnicodeScript.HIRAGANA)) {
                    unknown[0] = true;
                    return false;
                }
            }
            out.append(r);
            return true;
        });
        return unknown[0] ? null : out.toString();
    }

    /** Tokenizes {@code text}, calling {@code onToken} at each token until it returns false. */
    private void run(String text, BooleanSupplier onToken) {
        try {
            tokenizer.setReader(new StringReader(text));
            tokenizer.reset();
            while (tokenizer.incrementToken()) {
                if (!onToken.getAsBoolean()) {
                    return;
                }
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
    }
}
