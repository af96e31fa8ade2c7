package jp.kairan.server.search.text;

import java.io.Reader;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthCharFilter;
import org.apache.lucene.analysis.ja.JapaneseBaseFormFilter;
import org.apache.lucene.analysis.ja.JapaneseKatakanaStemFilter;
import org.apache.lucene.analysis.ja.JapaneseReadingFormFilter;
import org.apache.lucene.analysis.ja.JapaneseTokenizer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The three ways a message's text is indexed, and their query-time twins (search/README.md of issue #8's design):
 *
 * <ul>
 *   <li>{@link #TEXT}: Kuromoji words in search mode (防災訓練 also yields 防災 and 訓練), base forms, lower case,
 *       katakana long-vowel stemming (コンピューター = コンピュータ);</li>
 *   <li>{@link #READING}: the katakana readings of the same words; queries fold hiragana to katakana first, so
 *       すずむし finds 鈴虫 where the dictionary knows its reading;</li>
 *   <li>{@link #BIGRAM}: overlapping pairs of CJK characters, so a run of two or more characters is found inside
 *       running text wherever Kuromoji draws its word boundaries (バッタと鈴虫 by バッタ and by 鈴虫).</li>
 * </ul>
 *
 * Every field first folds widths with {@link CJKWidthCharFilter} (ｶﾀｶﾅ → カタカナ, ＡＢＣ１２３ → ABC123), a char
 * filter so that offsets still point into the original text for highlighting. Pure: no I/O. Thread-safe (Lucene
 * analyzers keep their token streams per thread).
 */
public final class SearchAnalysis {
    public static final String TEXT = "text";
    public static final String READING = "text_reading";
    public static final String BIGRAM = "text_bigram";

    private static final NormalizeCharMap HIRAGANA_TO_KATAKANA = hiraganaToKatakana();

    private final Analyzer index;
    private final Analyzer query;

    public SearchAnalysis() {
        Analyzer words = new WordsAnalyzer(false);
        Analyzer bigrams = new BigramAnalyzer();
        this.index = new PerFieldAnalyzerWrapper(words, Map.of(TEXT, words, READING, new WordsAnalyzer(true), BIGRAM, bigrams));
        this.query = new PerFieldAnalyzerWrapper(words, Map.of(TEXT, words, READING, new ReadingQueryAnalyzer(), BIGRAM, bigrams));
    }

    /** The analyzer that indexes messages, per field. */
    public Analyzer index() {
        return index;
    }

    /** The analyzer for query words, per field (the reading field folds hiragana to katakana first). */
    public Analyzer query() {
        return query;
    }

    private static Tokenizer kuromoji() {
        return new JapaneseTokenizer(null, true, JapaneseTokenizer.Mode.SEARCH);
    }

    private static TokenStream words(Tokenizer source, boolean reading) {
        TokenStream s = new JapaneseBaseFormFilter(source);
        if (reading) {
            s = new JapaneseReadingFormFilter(s, false);
        }
        return new JapaneseKatakanaStemFilter(new LowerCaseFilter(s));
    }

    /** Kuromoji words (or their readings) of width-folded text. */
    private static final class WordsAnalyzer extends Analyzer {
        private final boolean reading;

        WordsAnalyzer(boolean reading) {
            this.reading = reading;
        }

        @Override
        protected Reader initReader(String fieldName, Reader reader) {
            return new CJKWidthCharFilter(reader);
        }

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = kuromoji();
            return new TokenStreamComponents(source, words(source, reading));
        }
    }

    /** Readings of a query word, with hiragana typed by the user read as katakana. */
    private static final class ReadingQueryAnalyzer extends Analyzer {
        @Override
        protected Reader initReader(String fieldName, Reader reader) {
            return new MappingCharFilter(HIRAGANA_TO_KATAKANA, new CJKWidthCharFilter(reader));
        }

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = kuromoji();
            return new TokenStreamComponents(source, words(source, true));
        }
    }

    /** Width-folded, lower-cased CJK bigrams; other words as StandardTokenizer finds them. */
    private static final class BigramAnalyzer extends Analyzer {
        @Override
        protected Reader initReader(String fieldName, Reader reader) {
            return new CJKWidthCharFilter(reader);
        }

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new StandardTokenizer();
            return new TokenStreamComponents(source, new CJKBigramFilter(new LowerCaseFilter(source)));
        }
    }

    private static NormalizeCharMap hiraganaToKatakana() {
        NormalizeCharMap.Builder b = new NormalizeCharMap.Builder();
        // ぁ (U+3041) .. ゖ (U+3096) and the iteration marks ゝゞ sit 0x60 below their katakana.
        for (char c = '\u3041'; c <= '\u3096'; c++) {
            b.add(String.valueOf(c), String.valueOf((char) (c + 0x60)));
        }
        b.add("\u309D", "\u30FD");
        b.add("\u309E", "\u30FE");
        return b.build();
    }
}
