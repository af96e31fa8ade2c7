package jp.kairan.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import jp.kairan.server.testing.JavaSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward (server/README.md, issue #15): features never import the transports, only the HTTP face
 * imports Undertow and only the gateway Netty; packages form no cycle and the ground packages use nothing above
 * them; only repositories, entities and the store persist; the transports hold no transaction; the pure packages do
 * no I/O; no file grows past 500 lines.
 *
 * <p>The rules are the functions of {@link HouseRules}. The first tests hold the real tree to them; the rest feed
 * each rule a small made-up file that breaks it, and a clean counterpart, so a rule that could never fail shows.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "jp", "kairan", "server");
    private static final List<String> IO = List.of("java.sql", "java.net", "java.nio.file", "org.slf4j");

    private static List<JavaSource> tree;

    @BeforeAll
    static void readTheTree() throws IOException {
        tree = JavaSource.under(SOURCES);
        assertThat(tree).hasSizeGreaterThan(100);
    }

    static List<String> classifierIsPure(Collection<JavaSource> sources) {
        // issue #5: server/…/policy holds pure functions, no I/O, so attachments and the CLI can call it as it is.
        return HouseRules.pureFunctionsWithoutIo(sources, "policy", IO);
    }

    static List<String> searchAnalysisIsPure(Collection<JavaSource> sources) {
        // issue #8: search/text analyzes and highlights text only; the index, the outbox and the database live in search.
        return HouseRules.pureFunctionsWithoutIo(sources, "search.text",
                concat(IO, List.of("org.apache.lucene.store", "org.apache.lucene.index")));
    }

    static List<String> unicodeRulesArePure(Collection<JavaSource> sources) {
        // issue #16: text holds the per-field character rules, pure functions that names, messages and reactions share.
        return HouseRules.pureFunctionsWithoutIo(sources, "text", IO);
    }

    // ---- the real tree

    @Test
    void featuresDoNotImportTransports() {
        assertThat(HouseRules.transportLibrariesStayInTheirFaces(tree)).isEmpty();
    }

    @Test
    void onlyTheStoreOpensSessionsAndTransactions() {
        assertThat(HouseRules.onlyTheStoreOpensSessions(tree)).isEmpty();
    }

    @Test
    void theClassifierIsPureFunctionsWithoutIo() {
        assertThat(classifierIsPure(tree)).isEmpty();
    }

    @Test
    void theSearchAnalysisIsPureFunctionsWithoutIo() {
        assertThat(searchAnalysisIsPure(tree)).isEmpty();
    }

    @Test
    void theUnicodeRulesArePureFunctionsWithoutIo() {
        assertThat(unicodeRulesArePure(tree)).isEmpty();
    }

    @Test
    void thePackagesFormNoCycle() {
        assertThat(HouseRules.packageCycles(tree)).isEmpty();
    }

    @Test
    void theGroundPackagesUseOnlyTheGroundBelowThem() {
        assertThat(HouseRules.theGroundStaysTheGround(tree)).isEmpty();
    }

    @Test
    void onlyRepositoriesEntitiesAndTheStorePersist() {
        assertThat(HouseRules.persistenceOnlyInRepositories(tree)).isEmpty();
    }

    @Test
    void theTransportsHoldNoTransactions() {
        assertThat(HouseRules.transportsHoldNoTransactions(tree)).isEmpty();
    }

    @Test
    void noMainFileIsLongerThanFiveHundredLines() {
        assertThat(HouseRules.filesStaySmall(tree)).isEmpty();
    }

    // ---- each rule catches what it is for

    @Test
    void aFeatureUsingNettyIsCaughtAndTheGatewayUsingItIsNot() {
        assertCatches(HouseRules::transportLibrariesStayInTheirFaces,
                file("room/Rooms.java", "package jp.kairan.server.room;", "import io.netty.channel.Channel;"), "room/Rooms.java:2");
        assertCatches(HouseRules::transportLibrariesStayInTheirFaces,
                file("http/Pages.java", "package jp.kairan.server.http;", "class Pages { io.netty.buffer.ByteBuf b; }"), "http/Pages.java:2");
        assertClean(HouseRules::transportLibrariesStayInTheirFaces,
                file("gateway/Wire.java", "package jp.kairan.server.gateway;", "import io.netty.channel.Channel;"),
                file("http/Api.java", "package jp.kairan.server.http;", "import io.undertow.Undertow;"));
    }

    @Test
    void aFeatureOpeningASessionIsCaughtAndTheStoreOpeningOneIsNot() {
        assertCatches(HouseRules::onlyTheStoreOpensSessions,
                file("org/Orgs.java", "package jp.kairan.server.org;", "class Orgs { void f() { factory.openSession(); } }"), "org/Orgs.java:2");
        assertClean(HouseRules::onlyTheStoreOpensSessions,
                file("store/Database.java", "package jp.kairan.server.store;", "class Database { void f() { factory.openSession(); } }"));
    }

    @Test
    void twoPackagesThatImportEachOtherAreACycleShownWithOneFilePerEdge() {
        List<String> offences = HouseRules.packageCycles(List.of(
                file("org/Users.java", "package jp.kairan.server.org;", "import jp.kairan.server.audit.AuditService;"),
                file("org/Departments.java", "package jp.kairan.server.org;", "import jp.kairan.server.audit.AuditService;"),
                file("audit/AuditQuery.java", "package jp.kairan.server.audit;", "", "import jp.kairan.server.org.Users;")));
        assertThat(offences).singleElement().asString()
                .contains("cycle audit -> org -> audit", "audit -> org  audit/AuditQuery.java:3", "org -> audit  org/Departments.java:2");
    }

    @Test
    void aCycleThroughFullyQualifiedNamesInBodiesAndTheRootPackageIsCaught() {
        List<String> offences = HouseRules.packageCycles(List.of(
                file("KairanServer.java", "package jp.kairan.server;", "class KairanServer { jp.kairan.server.cli.Main m; }"),
                file("cli/Main.java", "package jp.kairan.server.cli;", "class Main { Object s = jp.kairan.server.search.text.Analyzer.of(); }"),
                file("search/text/Analyzer.java", "package jp.kairan.server.search.text;",
                        "class Analyzer { static Object of() { return new jp.kairan.server.KairanServer(); } }")));
        assertThat(offences).singleElement().asString()
                .contains("among {(root), cli, search.text}", "(root) -> cli  KairanServer.java:2", "search.text -> (root)  search/text/Analyzer.java:2");
    }

    @Test
    void dependenciesOneWayAndNamesInCommentsOrStringsAreNoCycle() {
        assertClean(HouseRules::packageCycles,
                file("org/Users.java", "package jp.kairan.server.org;", "import jp.kairan.server.audit.AuditService;"),
                file("audit/AuditQuery.java", "package jp.kairan.server.audit;", "// see jp.kairan.server.org.Users",
                        "/* jp.kairan.server.org.Users */ class AuditQuery { String s = \"jp.kairan.server.org.Users\"; }"));
    }

    @Test
    void aGroundPackageUsingAnythingAboveItIsCaught() {
        List<String> offences = HouseRules.theGroundStaysTheGround(List.of(
                file("config/ServerConfig.java", "package jp.kairan.server.config;", "import jp.kairan.server.store.Database;"),
                file("error/KairanException.java", "package jp.kairan.server.error;", "class K { jp.kairan.server.access.Principal p; }"),
                file("access/Principal.java", "package jp.kairan.server.access;", "import jp.kairan.server.org.Users;"),
                file("store/Tx.java", "package jp.kairan.server.store;", "import jp.kairan.server.audit.AuditService;"),
                file("audit/AuditQuery.java", "package jp.kairan.server.audit;", "import jp.kairan.server.org.Users;")));
        assertThat(offences).hasSize(5).anySatisfy(o -> assertThat(o).startsWith("config/ServerConfig.java:2: config uses jp.kairan.server.store.Database"))
                .anySatisfy(o -> assertThat(o).startsWith("error/KairanException.java:2"))
                .anySatisfy(o -> assertThat(o).startsWith("access/Principal.java:2"))
                .anySatisfy(o -> assertThat(o).startsWith("store/Tx.java:2"))
                .anySatisfy(o -> assertThat(o).startsWith("audit/AuditQuery.java:2: audit uses jp.kairan.server.org.Users"));
    }

    @Test
    void theGroundUsingTheGroundBelowItIsFine() {
        assertClean(HouseRules::theGroundStaysTheGround,
                file("config/ServerConfig.java", "package jp.kairan.server.config;", "import jp.kairan.protocol.ErrorCode;"),
                file("access/Principal.java", "package jp.kairan.server.access;", "import jp.kairan.server.error.KairanException;"),
                file("store/Database.java", "package jp.kairan.server.store;", "import jp.kairan.server.config.DatabaseConfig;",
                        "import jp.kairan.server.error.KairanException;"),
                file("audit/AuditService.java", "package jp.kairan.server.audit;", "import jp.kairan.server.access.Principal;",
                        "import jp.kairan.server.store.Tx;", "import jp.kairan.server.config.AuditConfig;", "import jp.kairan.server.error.KairanException;"),
                file("org/Users.java", "package jp.kairan.server.org;", "import jp.kairan.server.audit.AuditService;"));
    }

    @Test
    void aServiceHoldingSqlIsCaughtAndItsRepositoryHoldingItIsNot() {
        assertCatches(HouseRules::persistenceOnlyInRepositories,
                file("message/Bar.java", "package jp.kairan.server.message;", "class Bar {", "  String q = \"SELECT id FROM messages\";", "}"),
                "message/Bar.java:3: holds SQL");
        assertCatches(HouseRules::persistenceOnlyInRepositories,
                file("auth/Logins.java", "package jp.kairan.server.auth;", "class Logins {",
                        "  Object q = tx.session().createSelectionQuery(\"from LoginTicketEntity t where t.ticketHash = :h\");", "}"),
                "auth/Logins.java:3: calls tx.session()", "auth/Logins.java:3: holds SQL");
        assertClean(HouseRules::persistenceOnlyInRepositories,
                file("message/MessageRepository.java", "package jp.kairan.server.message;", "import java.sql.PreparedStatement;",
                        "class MessageRepository { String q = \"SELECT id FROM messages\"; Object f(Tx tx) { return tx.jdbc(c -> 1); } }"),
                file("message/MessageEntity.java", "package jp.kairan.server.message;", "import jakarta.persistence.Entity;"),
                file("store/Tx.java", "package jp.kairan.server.store;", "import org.hibernate.Session;", "class Tx { Object s = this.session(); }"),
                file("message/Messages.java", "package jp.kairan.server.message;",
                        "class Messages { Object f() { return db.call(tx -> repository.page(tx, 1)); } }"));
    }

    @Test
    void aServiceImportingJdbcOrCallingTheTxIsCaught() {
        assertCatches(HouseRules::persistenceOnlyInRepositories,
                file("export/ExportService.java", "package jp.kairan.server.export;", "import java.sql.PreparedStatement;",
                        "import org.hibernate.Session;", "class ExportService {", "  Object a = db.call(t -> t.jdbc(c -> 1));",
                        "  void b(Tx work) { work.update(\"x\"); }", "  Object c(Tx other) { return other.session(); }",
                        "  jakarta.persistence.Entity e;", "}"),
                "export/ExportService.java:2: uses java.sql", "export/ExportService.java:3: uses org.hibernate",
                "export/ExportService.java:5: calls tx.jdbc(...)", "export/ExportService.java:6: calls tx.update(...)",
                "export/ExportService.java:7: calls tx.session()", "export/ExportService.java:8: uses jakarta.persistence");
    }

    @Test
    void sqlAndHqlLiteralsAreSqlAndProseIsNot() {
        assertThat(List.of("SELECT id FROM messages", "  select id, seq ", "SELECT COUNT(*) FROM rooms", "SELECT 1",
                "SELECT * FROM users", "SELECT m.user_id AS id", "\n    SELECT\n      id,\n", "INSERT INTO audit_events (id, at) VALUES (?, ?)",
                "INSERT IGNORE INTO room_members ", "insert into ", "MERGE INTO t USING", "REPLACE INTO search_outbox (id)",
                "UPDATE rooms SET last_seq = ?", "update RefreshTokenEntity t set t.revokedAt = :now", "UPDATE export_jobs SET ",
                "DELETE FROM login_tickets WHERE expires_at < ?", "delete from LoginTicketEntity t where t.id = :id", "DELETE FROM holds",
                "from UserEntity u where u.loginId = :login", "from OrganizationEntity o order by o.id"))
                .allSatisfy(sql -> assertThat(HouseRules.SQL.matcher(sql).find()).as(sql).isTrue());
        assertThat(List.of("update the room", "Update the room set to read-only", "delete from the list of holds",
                "Select a room first", "select one room", "From address of mails the server sends.", "from", "DELETE", "update",
                "insert into the list", "from UserEntities of the org", "rows selected: "))
                .allSatisfy(prose -> assertThat(HouseRules.SQL.matcher(prose).find()).as(prose).isFalse());
    }

    @Test
    void anEndpointHoldingTheDatabaseOrATxIsCaught() {
        List<String> offences = HouseRules.transportsHoldNoTransactions(List.of(
                file("http/Foo.java", "package jp.kairan.server.http;", "import jp.kairan.server.store.Tx;",
                        "class Foo { Object f(Tx tx) { return orgs.list(tx); } }"),
                file("http/OrgEndpoints.java", "package jp.kairan.server.http;", "import jp.kairan.server.store.Database;", "class OrgEndpoints {",
                        "  private final Database store;", "  Object f() { return store.call(tx -> 1); }", "}"),
                file("gateway/Session.java", "package jp.kairan.server.gateway;", "class Session {",
                        "  Object f() { return db.inTransaction(tx -> 1); }", "  jp.kairan.server.store.Tx.JdbcWork<?> w;", "}"),
                file("gateway/Wire.java", "package jp.kairan.server.gateway;", "import jp.kairan.server.store.*;")));
        assertThat(offences).containsExactlyInAnyOrder(
                "http/Foo.java:2: uses jp.kairan.server.store.Tx",
                "http/OrgEndpoints.java:2: uses jp.kairan.server.store.Database",
                "http/OrgEndpoints.java:5: opens a transaction with db.call(...)",
                "gateway/Session.java:4: uses jp.kairan.server.store.Tx.JdbcWork",
                "gateway/Session.java:3: opens a transaction",
                "gateway/Wire.java:2: uses jp.kairan.server.store.*");
    }

    @Test
    void anEndpointCallingAFeatureServiceIsFine() {
        assertClean(HouseRules::transportsHoldNoTransactions,
                file("http/OrgEndpoints.java", "package jp.kairan.server.http;", "import jp.kairan.server.org.OrgService;",
                        "import jp.kairan.server.store.ServerBusyException;", "class OrgEndpoints { Object f() { return orgs.listOrgs(principal); } }"),
                file("room/Rooms.java", "package jp.kairan.server.room;", "import jp.kairan.server.store.Database;",
                        "class Rooms { Object f() { return db.call(tx -> 1); } }"));
    }

    @Test
    void thePurePackagesCatchIoAndOtherServerPackagesWithOneRule() {
        assertCatches(ArchitectureTest::classifierIsPure,
                file("policy/Terms.java", "package jp.kairan.server.policy;", "import java.nio.file.Files;",
                        "class Terms { jp.kairan.server.store.Tx tx; }"),
                "policy/Terms.java:2: uses java.nio.file", "policy/Terms.java:3: uses jp.kairan.server.store.Tx outside policy");
        assertCatches(ArchitectureTest::searchAnalysisIsPure,
                file("search/text/Highlighter.java", "package jp.kairan.server.search.text;",
                        "import org.apache.lucene.index.IndexWriter;", "import jp.kairan.server.search.SearchService;"),
                "search/text/Highlighter.java:2: uses org.apache.lucene.index", "search/text/Highlighter.java:3: uses jp.kairan.server.search.SearchService");
        assertClean(ArchitectureTest::classifierIsPure,
                file("policy/names/NameTokens.java", "package jp.kairan.server.policy.names;", "import jp.kairan.server.policy.FoldedText;",
                        "import java.io.InputStream; // not java.net.URI"),
                file("search/SearchService.java", "package jp.kairan.server.search;", "import java.sql.Connection;"));
        assertClean(ArchitectureTest::searchAnalysisIsPure,
                file("search/text/Analysis.java", "package jp.kairan.server.search.text;", "import org.apache.lucene.analysis.Analyzer;"));
    }

    @Test
    void aFileOfFiveHundredAndOneLinesIsCaughtAndOneOfFiveHundredIsNot() {
        assertThat(HouseRules.filesStaySmall(List.of(JavaSource.of("room/Big.java", "x\n".repeat(501)))))
                .containsExactly("room/Big.java: 501 lines (at most 500)");
        assertClean(HouseRules::filesStaySmall, JavaSource.of("room/Fits.java", "x\n".repeat(500)),
                JavaSource.of("room/AlsoFits.java", "x\n".repeat(499) + "x"));
    }

    @Test
    void theScanSeesCodeAndLiteralsButNotComments() {
        JavaSource s = file("a/A.java", "class A { // \"not a literal\" jp.kairan.server.b.B", "  char q = '\"'; String t = \"\"\"",
                "    SELECT id", "    FROM \\\"x\\\" \"\"\"; /* jp.kairan.server.c.C */ String u = \"a\\\"b\"; jp.kairan.server.d.D d; }");
        assertThat(s.literals()).extracting(JavaSource.Literal::text, JavaSource.Literal::line)
                .containsExactly(tuple("\n    SELECT id\n    FROM \\\"x\\\" ", 2),
                        tuple("a\\\"b", 4));
        assertThat(s.serverReferences()).extracting(JavaSource.Reference::pkg).containsExactly("d");
        assertThat(file("KairanServer.java", "import jp.kairan.serverless.X; import static jp.kairan.server.access.Principal.of;")
                .serverReferences()).extracting(JavaSource.Reference::pkg).containsExactly("access");
        assertThat(s.code()).hasSameSizeAs(s.text()).doesNotContain("SELECT", "not a literal");
    }

    private static JavaSource file(String path, String... lines) {
        return JavaSource.of(path, String.join("\n", lines) + "\n");
    }

    private static void assertCatches(Function<List<JavaSource>, List<String>> rule, JavaSource violation, String... offencesStartingWith) {
        List<String> offences = rule.apply(List.of(violation));
        assertThat(offences).as("offences of %s", violation).isNotEmpty();
        for (String start : offencesStartingWith) {
            assertThat(offences).as("offences of %s", violation).anySatisfy(o -> assertThat(o).startsWith(start));
        }
    }

    private static void assertClean(Function<List<JavaSource>, List<String>> rule, JavaSource... clean) {
        assertThat(rule.apply(List.of(clean))).isEmpty();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
