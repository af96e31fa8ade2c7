package jp.kairan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorCredentialsTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("initial-operator-password.txt"), text);
    }

    @Test
    void readsAPasswordAloneOnItsLine() throws IOException {
        OperatorCredentials c = OperatorCredentials.read(file("# first start\nS3cret=with:odd chars\n"));
        assertThat(c.password()).isEqualTo("S3cret=with:odd chars");
        assertThat(c.loginId()).isEmpty();
    }

    @Test
    void readsKeyValueLines() throws IOException {
        OperatorCredentials c = OperatorCredentials.read(file("Login ID: root-op\nInitial password = abc:def\n"));
        assertThat(c.loginId()).contains("root-op");
        assertThat(c.password()).isEqualTo("abc:def");
    }

    @Test
    void failsClearlyWithoutAPassword() throws IOException {
        Path empty = file("# nothing\n\n");
        assertThatThrownBy(() -> OperatorCredentials.read(empty)).hasMessageContaining("No password");
    }
}
