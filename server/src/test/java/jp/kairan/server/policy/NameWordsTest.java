package jp.kairan.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class NameWordsTest {
    private static List<String> parse(String text) throws IOException {
        return NameWords.parse(new BufferedReader(new StringReader(text)), "test");
    }

    @Test
    void theBuiltInListsLoadWithTheirWords() {
        assertThat(NameWords.HONORIFICS).contains("さん", "様", "宅");
        assertThat(NameWords.ROLES).contains("係長", "CW", "cw");
        assertThat(NameWords.NAME_ENDS).startsWith("さん", "ちゃん").endsWith("（", "(");
        assertThat(NameWords.LATIN_STOP).hasSize(120);
        assertThat(NameWords.DEPARTMENT_CHARS).isEqualTo("課係室部局所");
    }

    @Test
    void aListKeepsItsOrderAndSkipsCommentsAndBlankLines() throws IOException {
        assertThat(parse("# a comment\n\n  から \nで\n#で\n")).containsExactly("から", "で");
    }

    @Test
    void aRepeatedOrEmptyListFailsLoudly() {
        assertThatThrownBy(() -> parse("さん\n様\nさん\n")).isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> parse("# nothing\n")).isInstanceOf(IllegalStateException.class).hasMessageContaining("empty");
    }
}
