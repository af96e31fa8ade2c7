package jp.kairan.server.search.text;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.QueryBuilder;

/**
 * What the user typed, as words that must all match: separated by spaces (ASCII or 全角), a {@code "quoted phrase"}
 * (ASCII, 全角 or curly quotes) is one word. A word matches a message when it is found as a phrase in any of the
 * three fields of {@link SearchAnalysis}. Pure; immutable.
 *
 * @param words the words, in the order typed, none blank
 */
public record QueryWords(List<String> words) {
    public QueryWords {
        words = List.copyOf(words);
    }

    /** Splits a query into words; never null, may be empty. */
    public static QueryWords parse(String q) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (isQuote(c)) {
                add(words, word);
                quoted = !quoted;
            } else if (!quoted && Character.isWhitespace(c)) {
                add(words, word);
            } else {
                word.append(c);
            }
        }
        add(words, word);
        return new QueryWords(words);
    }

    /**
     * The Lucene query: every word must match as a phrase on the words, the bigrams or the readings; null when no
     * word has anything to search for (only punctuation, say), which finds nothing.
     */
    public Query toLucene(SearchAnalysis analysis) {
        QueryBuilder builder = new QueryBuilder(analysis.query());
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        int clauses = 0;
        for (String w : words) {
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            int fields = 0;
            for (String field : List.of(SearchAnalysis.TEXT, SearchAnalysis.BIGRAM, SearchAnalysis.READING)) {
                Query q = builder.createPhraseQuery(field, w);
                if (q != null) {
                    any.add(q, BooleanClause.Occur.SHOULD);
                    fields++;
                }
            }
            if (fields > 0) {
                all.add(any.build(), BooleanClause.Occur.MUST);
                clauses++;
            }
        }
        return clauses == 0 ? null : all.build();
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\uFF02' || c == '\u201C' || c == '\u201D';
    }

    private static void add(List<String> words, StringBuilder word) {
        String w = word.toString().strip();
        if (!w.isEmpty()) {
            words.add(w);
        }
        word.setLength(0);
    }
}
