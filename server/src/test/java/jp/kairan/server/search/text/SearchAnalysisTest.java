package jp.kairan.server.search.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Japanese query table of issue #8, on an in-memory index analyzed exactly as the server's. */
class SearchAnalysisTest {
    private static final SearchAnalysis ANALYSIS = new SearchAnalysis();
    private static final List<String> TEXTS = List.of(
            "バッタと鈴虫",
            "先週の防災訓練の集合場所は第二駐車場です",
            "ｶﾀｶﾅで書いた連絡",
            "カタカナの案内",
            "ＡＢＣ会議の資料",
            "abc meeting notes",
            "議題は１２３号室で",
            "会場は123号室です",
            "新しいコンピューターを設置",
            "コンピュータ室の鍵",
            "明日の練習は中止",
            "Kairan Release Notes");
    private static ByteBuffersDirectory dir;
    private static DirectoryReader reader;

    @BeforeAll
    static void index() throws IOException {
        dir = new ByteBuffersDirectory();
        try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(ANALYSIS.index()))) {
            for (String t : TEXTS) {
                Document d = new Document();
                d.add(new StoredField("raw", t));
                d.add(new TextField(SearchAnalysis.TEXT, t, Field.Store.NO));
                d.add(new TextField(SearchAnalysis.READING, t, Field.Store.NO));
                d.add(new TextField(SearchAnalysis.BIGRAM, t, Field.Store.NO));
                w.addDocument(d);
            }
        }
        reader = DirectoryReader.open(dir);
    }

    @AfterAll
    static void close() throws IOException {
        reader.close();
        dir.close();
    }

    static List<String> find(String q) throws IOException {
        Query query = QueryWords.parse(q).toLucene(ANALYSIS);
        if (query == null) {
            return List.of();
        }
        IndexSearcher searcher = new IndexSearcher(reader);
        List<String> found = new ArrayList<>();
        for (ScoreDoc sd : searcher.search(query, 100).scoreDocs) {
            found.add(searcher.storedFields().document(sd.doc).get("raw"));
        }
        return found;
    }

    @ParameterizedTest(name = "{0} finds {1}")
    @CsvSource(delimiter = '|', value = {
            "鈴虫|バッタと鈴虫",
            "バッタ|バッタと鈴虫",
            "防災|先週の防災訓練の集合場所は第二駐車場です",
            "訓練|先週の防災訓練の集合場所は第二駐車場です",
            "防災訓練|先週の防災訓練の集合場所は第二駐車場です",
            "集合場所 駐車場|先週の防災訓練の集合場所は第二駐車場です",
            "\"防災訓練の集合\"|先週の防災訓練の集合場所は第二駐車場です",
            "カタカナ|ｶﾀｶﾅで書いた連絡",
            "ｶﾀｶﾅ|カタカナの案内",
            "abc|ＡＢＣ会議の資料",
            "ＡＢＣ|abc meeting notes",
            "１２３号室|会場は123号室です",
            "123|議題は１２３号室で",
            "RELEASE notes|Kairan Release Notes",
            "コンピュータ|新しいコンピューターを設置",
            "コンピューター|コンピュータ室の鍵",
            "すずむし|バッタと鈴虫",
            "くんれん|先週の防災訓練の集合場所は第二駐車場です",
    })
    void finds(String query, String expected) throws IOException {
        assertThat(find(query)).contains(expected);
    }

    @ParameterizedTest(name = "{0} finds nothing of {1}")
    @CsvSource(delimiter = '|', value = {
            "訓練|明日の練習は中止",
            "練習|先週の防災訓練の集合場所は第二駐車場です",
            "鈴虫 駐車場|バッタと鈴虫",
            "コオロギ|バッタと鈴虫",
            "abd|abc meeting notes",
            "124|会場は123号室です",
            "\"訓練の防災\"|先週の防災訓練の集合場所は第二駐車場です",
    })
    void doesNotFind(String query, String text) throws IOException {
        assertThat(find(query)).doesNotContain(text);
    }

    @org.junit.jupiter.api.Test
    void punctuationAloneFindsNothing() throws IOException {
        assertThat(QueryWords.parse("。、！").toLucene(ANALYSIS)).isNull();
        assertThat(find("")).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void wordsSplitOnBothSpacesAndKeepQuotedPhrases() {
        assertThat(QueryWords.parse(" 防災\u3000訓練  \"集合 場所\" ").words()).containsExactly("防災", "訓練", "集合 場所");
        assertThat(QueryWords.parse("“第二 駐車場”").words()).containsExactly("第二 駐車場");
    }
}
