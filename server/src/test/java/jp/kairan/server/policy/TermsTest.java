package jp.kairan.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TermsTest {
    @Test
    void builtInDictionariesCoverEveryLedger() {
        for (Topic t : Topic.values()) {
            if (t != Topic.GENERAL) {
                assertThat(Terms.builtIn().builtInTerms()).as(t.id())
                        .anyMatch(term -> term.topic() == t && term.kind() == Terms.Kind.CUE);
            }
        }
        assertThat(Terms.builtIn().builtInTerms()).noneMatch(t -> t.topic() == Topic.GENERAL && t.kind() == Terms.Kind.CUE);
    }

    @Test
    void scanMatchesAcrossWidthKanaAndSpacesAndMapsBack() {
        String text = "ｾｲｶﾂﾎｺﾞ の件と せ い か つ ほ ご";
        List<Terms.Hit> hits = Terms.builtIn().scan(FoldedText.of(text));
        assertThat(hits).filteredOn(h -> h.topic() == Topic.WELFARE).hasSize(2);
        Terms.Hit first = hits.get(0);
        assertThat(text.substring(first.start(), first.end())).isEqualTo("ｾｲｶﾂﾎｺﾞ");
    }

    @Test
    void orgTermsAddToTheBuiltInOnesAndReplaceEarlierOrgTerms() {
        Terms a = Terms.builtIn().withOrgTerms(List.of(new Terms.Term(Topic.WELFARE, Terms.Kind.CUE, "就学援助")));
        Terms b = a.withOrgTerms(List.of(new Terms.Term(Topic.TAX, Terms.Kind.CUE, "森林環境税")));
        assertThat(a.scan(FoldedText.of("就学援助"))).hasSize(1);
        assertThat(b.scan(FoldedText.of("就学援助"))).isEmpty();
        assertThat(b.scan(FoldedText.of("森林環境税"))).singleElement().extracting(Terms.Hit::topic).isEqualTo(Topic.TAX);
        assertThat(Terms.builtIn().withOrgTerms(List.of())).isSameAs(Terms.builtIn());
    }
}
