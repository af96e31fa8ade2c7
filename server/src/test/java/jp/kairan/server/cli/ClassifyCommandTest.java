package jp.kairan.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyCommandTest {
    @Test
    void answersOneLinePerInputLineInOrder() {
        String out = ClassifyCommand.classify("""
                {"id": "a", "text": "マイナンバーは 1234 5678 9018 です"}
                {"id": "b", "text": "山田○○さんの生活保護の件、明日訪問します"}

                {"id": "c", "text": "202610160001"}
                {"id": 7, "text": "【取扱注意】予算案"}
                """);
        assertThat(out.lines().toList()).containsExactly(
                "{\"id\":\"a\",\"verdict\":\"block\",\"class\":\"I\",\"findings\":[{\"detector\":\"my_number\",\"excerpt\":\"****-****-9018\"}]}",
                "{\"id\":\"b\",\"verdict\":\"allow\",\"class\":\"IV\",\"findings\":[]}",
                "{\"id\":\"c\",\"verdict\":\"warn\",\"class\":\"IV\",\"findings\":[{\"detector\":\"my_number\",\"excerpt\":\"****-****-0001\"}]}",
                "{\"id\":\"7\",\"verdict\":\"allow\",\"class\":\"II\",\"findings\":[{\"detector\":\"internal\",\"excerpt\":\"取扱注意\"}]}");
    }

    @Test
    void aBadLineGetsAnErrorAndTheRestGoesOn() {
        String out = ClassifyCommand.classify("""
                not json
                {"id": "x"}
                [1, 2]
                {"id": "y", "text": "お疲れさまです"}
                """);
        assertThat(out.lines().toList()).containsExactly(
                "{\"id\":null,\"error\":\"not JSON\"}",
                "{\"id\":\"x\",\"error\":\"expected an object with a string \\\"text\\\"\"}",
                "{\"id\":null,\"error\":\"expected an object with a string \\\"text\\\"\"}",
                "{\"id\":\"y\",\"verdict\":\"allow\",\"class\":\"IV\",\"findings\":[]}");
    }

    @Test
    void anOrgsTermsFileExtendsTheDictionaries(@TempDir Path dir) throws Exception {
        Path terms = dir.resolve("terms.json");
        Files.writeString(terms, "{\"terms\": [{\"category\": \"welfare\", \"kind\": \"cue\", \"term\": \"就学援助\"}]}");
        String text = "田村健太さんの就学援助費の件";
        assertThat(ClassifyCommand.classifier(null).classify(text).importance().wireName()).isEqualTo("IV");
        assertThat(ClassifyCommand.classifier(terms).classify(text).importance().wireName()).isEqualTo("I");
    }
}
