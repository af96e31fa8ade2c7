package jp.kairan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward (server/README.md): features never import the transports; only the HTTP face
 * imports Undertow and only the gateway imports Netty.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "jp", "kairan", "server");

    @Test
    void featuresDoNotImportTransports() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f.getParent()).toString();
                for (String line : Files.readAllLines(f)) {
                    if ((line.startsWith("import io.undertow") && !pkg.equals("http"))
                            || (line.startsWith("import io.netty") && !pkg.equals("gateway"))) {
                        offenders.add(SOURCES.relativize(f) + ": " + line);
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void onlyTheStoreOpensSessionsAndTransactions() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (SOURCES.relativize(f).startsWith("store")) {
                    continue;
                }
                String text = Files.readString(f);
                if (text.contains("openSession(") || text.contains("beginTransaction(") || text.contains("import org.hibernate.SessionFactory")) {
                    offenders.add(SOURCES.relativize(f).toString());
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theClassifierIsPureFunctionsWithoutIo() throws IOException {
        // issue #5: server/…/policy holds pure functions, no I/O, so attachments and the CLI can call it as it is.
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve("policy"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    boolean serverImport = line.startsWith("import jp.kairan.server.") && !line.startsWith("import jp.kairan.server.policy.");
                    if (serverImport || line.startsWith("import java.sql") || line.startsWith("import java.net")
                            || line.startsWith("import java.nio.file") || line.startsWith("import org.slf4j")) {
                        offenders.add(SOURCES.relativize(f) + ": " + line);
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theSearchAnalysisIsPureFunctionsWithoutIo() throws IOException {
        // issue #8: search/text analyzes and highlights text only; the index, the outbox and the database live in search.
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve("search").resolve("text"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    boolean serverImport = line.startsWith("import jp.kairan.server.") && !line.startsWith("import jp.kairan.server.search.text.");
                    if (serverImport || line.startsWith("import java.sql") || line.startsWith("import java.net")
                            || line.startsWith("import java.nio.file") || line.startsWith("import org.slf4j")
                            || line.startsWith("import org.apache.lucene.store") || line.startsWith("import org.apache.lucene.index")) {
                        offenders.add(SOURCES.relativize(f) + ": " + line);
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
    }
}
