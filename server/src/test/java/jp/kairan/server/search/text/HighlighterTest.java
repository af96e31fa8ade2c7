package jp.kairan.server.search.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HighlighterTest {
    private static final Highlighter HIGHLIGHTER = new Highlighter(new SearchAnalysis());

    private static List<String> marked(String text, String q) {
        return HIGHLIGHTER.spans(text, QueryWords.parse(q)).stream().map(s -> text.substring(s.start(), s.end())).toList();
    }

    @Test
    void marksWordsFoundInsideRunningText() {
        assertThat(marked("バッタと鈴虫", "鈴虫")).containsExactly("鈴虫");
        assertThat(marked("バッタと鈴虫", "バッタ")).containsExactly("バッタ");
        assertThat(marked("先週の防災訓練の集合場所は第二駐車場です", "訓練 駐車場")).containsExactly("訓練", "駐車場");
        assertThat(marked("先週の防災訓練の集合場所は第二駐車場です", "防災訓練")).containsExactly("防災訓練");
    }

    @Test
    void offsetsPointIntoTheOriginalWidths() {
        String text = "ﾊﾞｯﾀとＡＢＣ";
        assertThat(marked(text, "バッタ")).containsExactly("ﾊﾞｯﾀ");
        assertThat(marked(text, "abc")).containsExactly("ＡＢＣ");
    }

    @Test
    void aParticleIsNotMarkedEverywhere() {
        assertThat(marked("バッタと鈴虫とコオロギ", "バッタと鈴虫")).containsExactly("バッタと鈴虫");
    }

    @Test
    void spansAreSortedAndMerged() {
        assertThat(Highlighter.merge(List.of(new Highlighter.Span(5, 7), new Highlighter.Span(0, 2), new Highlighter.Span(1, 3),
                new Highlighter.Span(3, 4)))).containsExactly(new Highlighter.Span(0, 4), new Highlighter.Span(5, 7));
    }
}
