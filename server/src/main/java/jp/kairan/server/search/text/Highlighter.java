package jp.kairan.server.search.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Marks the matched words in a message's text: the text is analyzed again with offsets, and every token of the
 * words, bigram or reading field that equals a token of a query word is marked; touching and overlapping marks are
 * merged. A one-character token (a particle such as と) is marked only when a query word is that one token, so
 * "バッタと鈴虫" does not light up every と. Pure; thread-safe.
 */
public final class Highlighter {
    private static final List<String> FIELDS = List.of(SearchAnalysis.TEXT, SearchAnalysis.BIGRAM, SearchAnalysis.READING);

    /** A marked run {@code [start, end)} in UTF-16 units. */
    public record Span(int start, int end) {
    }

    private final SearchAnalysis analysis;

    public Highlighter(SearchAnalysis analysis) {
        this.analysis = analysis;
    }

    /** The marks for {@code query} in {@code text}, sorted and not overlapping. */
    public List<Span> spans(String text, QueryWords query) {
        List<Span> found = new ArrayList<>();
        for (String field : FIELDS) {
            Set<String> wanted = wanted(field, query);
            if (wanted.isEmpty()) {
                continue;
            }
            forEachToken(analysis.index(), field, text, (term, start, end) -> {
                if (wanted.contains(term) && end > start) {
                    found.add(new Span(start, end));
                }
            });
        }
        return merge(found);
    }

    private Set<String> wanted(String field, QueryWords query) {
        Set<String> wanted = new HashSet<>();
        for (String word : query.words()) {
            List<String> terms = new ArrayList<>();
            forEachToken(analysis.query(), field, word, (term, start, end) -> terms.add(term));
            for (String t : terms) {
                if (t.length() > 1 || terms.size() == 1) {
                    wanted.add(t);
                }
            }
        }
        return wanted;
    }

    static List<Span> merge(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(Span::start).thenComparingInt(Span::end));
        List<Span> merged = new ArrayList<>();
        for (Span s : sorted) {
            Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && s.start() <= last.end()) {
                merged.set(merged.size() - 1, new Span(last.start(), Math.max(last.end(), s.end())));
            } else {
                merged.add(s);
            }
        }
        return merged;
    }

    private interface TokenSink {
        void accept(String term, int start, int end);
    }

    private static void forEachToken(Analyzer analyzer, String field, String text, TokenSink sink) {
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                sink.accept(term.toString(), offset.startOffset(), Math.min(offset.endOffset(), text.length()));
            }
            ts.end();
        } catch (IOException e) {
            // A StringReader does not fail; an analyzer bug should not pass silently.
            throw new UncheckedIOException(e);
        }
    }
}
