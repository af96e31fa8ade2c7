package jp.kairan.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.kairan.protocol.Json;
import jp.kairan.server.store.Database;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #6, the audit view on real MariaDB (HTTP-API.md "Audit log"): owners and admins page through their
 * organization's log newest first and filter it by actor, action and time; nobody else reads it; the CSV export is
 * the same events, streamed, with a byte order mark and RFC 4180 quoting; each search and each download is itself
 * an audit event, and the chain stays intact.
 */
class AuditViewIT {
    private static TestServer server;
    private static Database db;
    private static SignedIn owner;
    private static SignedIn admin;
    private static SignedIn member;
    private static SignedIn otherOwner;
    private static SignedIn operator;
    private static String orgId;
    private static String otherOrgId;
    /** Between the set-up's first events and the department created an hour later. */
    private static Instant midway;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        db = server.server().database();
        operator = server.operator();
        TestServer.Org org = server.createOrg(operator, "回覧市", "yamada", "山田 花子", "Sakura-Hana-2026");
        owner = org.owner();
        orgId = org.id();
        admin = server.createUser(owner, orgId, "tanaka", "田中 次郎", List.of("admin"), "Tsubaki-Kaze-2026");
        member = server.createUser(owner, orgId, "sato", "佐藤 一郎", List.of(), "Asagao-Niwa-2026");
        server.clock().advance(Duration.ofMinutes(30));
        midway = server.clock().instant();
        server.clock().advance(Duration.ofMinutes(30));
        // Access tokens last five minutes.
        operator = server.refresh(operator);
        owner = server.refresh(owner);
        admin = server.refresh(admin);
        member = server.refresh(member);
        assertThat(server.post("/api/v1/orgs/" + orgId + "/departments", Map.of("name", "防災課"), admin.accessToken()).status())
                .isEqualTo(201);
        TestServer.Org other = server.createOrg(operator, "甲町", "kou.owner", "甲 太郎", "Momiji-Yama-2026");
        otherOwner = other.owner();
        otherOrgId = other.id();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String audit(String query) {
        return auditOf(orgId, query);
    }

    private static String auditOf(String org, String query) {
        return "/api/v1/orgs/" + org + "/audit" + (query.isEmpty() ? "" : "?" + query);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode page(SignedIn who, String query) {
        return pageOf(orgId, who, query);
    }

    private static JsonNode pageOf(String org, SignedIn who, String query) {
        Response r = server.get(auditOf(org, query), who.accessToken());
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.body();
    }

    private static List<JsonNode> events(JsonNode page) {
        List<JsonNode> list = new ArrayList<>();
        page.get("events").forEach(list::add);
        return list;
    }

    private static List<String> actions(JsonNode page) {
        return events(page).stream().map(e -> e.get("action").asText()).toList();
    }

    /** Every event matching {@code query}, by following {@code nextBefore}, oldest pages last. */
    private static List<JsonNode> all(SignedIn who, String query) {
        return allOf(orgId, who, query);
    }

    private static List<JsonNode> allOf(String org, SignedIn who, String query) {
        List<JsonNode> out = new ArrayList<>();
        String before = null;
        while (true) {
            String qs = query + (before == null ? "" : (query.isEmpty() ? "" : "&") + "before=" + before);
            JsonNode p = pageOf(org, who, qs);
            out.addAll(events(p));
            if (!p.get("hasMore").asBoolean()) {
                assertThat(p.get("nextBefore").isNull()).isTrue();
                return out;
            }
            before = p.get("nextBefore").asText();
        }
    }

    private static long countViews() {
        return events(page(owner, "action=audit.viewed&limit=500")).size() + 1; // the call itself is one more view
    }

    @Test
    void ownersAndAdminsReadTheLogNewestFirst_andEachSearchIsRecorded() {
        JsonNode first = page(owner, "");
        List<JsonNode> events = events(first);
        assertThat(events).isNotEmpty();
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).get("chainSeq").asLong()).isLessThan(events.get(i - 1).get("chainSeq").asLong());
        }
        assertThat(actions(first)).contains("org.created", "org.user.created", "org.department.created", "device.approved");
        JsonNode dept = events.stream().filter(e -> e.get("action").asText().equals("org.department.created")).findFirst().orElseThrow();
        assertThat(dept.get("actorId").asText()).isEqualTo(admin.userId());
        assertThat(dept.get("actorLogin").asText()).isEqualTo("tanaka");
        assertThat(dept.get("actorName").asText()).isEqualTo("田中 次郎");
        assertThat(dept.get("targetType").asText()).isEqualTo("department");
        assertThat(dept.get("ip").asText()).isNotBlank();
        assertThat(dept.get("requestId").asText()).hasSize(16);
        assertThat(dept.get("detail").isObject()).as("detail is a JSON object").isTrue();
        assertThat(dept.get("id").asText()).matches("[0-9]+");
        assertThat(dept.get("occurredAt").asText()).endsWith("Z");

        // Each search is recorded after it has been read, with what was searched for.
        assertThat(actions(page(admin, "action=audit."))).allMatch(a -> a.startsWith("audit."));
        JsonNode next = page(owner, "action=audit.viewed");
        JsonNode view = events(next).get(0);
        assertThat(view.get("action").asText()).isEqualTo("audit.viewed");
        assertThat(view.get("actorId").asText()).isEqualTo(admin.userId());
        assertThat(view.get("detail").get("action").asText()).isEqualTo("audit.");
        JsonNode ownersView = events(next).get(1);
        assertThat(ownersView.get("actorId").asText()).isEqualTo(owner.userId());
        assertThat(ownersView.get("detail").isNull()).as("no filters, no detail").isTrue();
        assertThat(ownersView.get("targetType").asText()).isEqualTo("org");
        assertThat(ownersView.get("targetId").asText()).isEqualTo(orgId);
    }

    @Test
    void pagingWalksTheWholeLogOnce_andRecordsOnlyTheFirstPage() {
        long viewsBefore = countViews();
        List<JsonNode> paged = all(owner, "limit=3");
        long viewsAfter = countViews();
        assertThat(viewsAfter - viewsBefore).as("one search, however many pages").isEqualTo(2); // all() + countViews()
        Set<Long> seqs = new HashSet<>();
        for (int i = 0; i < paged.size(); i++) {
            assertThat(seqs.add(paged.get(i).get("chainSeq").asLong())).as("no event twice").isTrue();
            if (i > 0) {
                assertThat(paged.get(i).get("chainSeq").asLong()).isLessThan(paged.get(i - 1).get("chainSeq").asLong());
            }
        }
        assertThat(paged.get(paged.size() - 1).get("chainSeq").asLong()).as("down to the first event").isEqualTo(1);
        assertThat(paged.get(paged.size() - 1).get("action").asText()).isEqualTo("org.created");
        // The whole log in one page, taken after the walk, holds the walk as its tail.
        JsonNode one = page(owner, "limit=500");
        assertThat(one.get("hasMore").asBoolean()).isFalse();
        List<Long> oneSeqs = events(one).stream().map(e -> e.get("chainSeq").asLong()).toList();
        assertThat(oneSeqs).containsAll(seqs);
        JsonNode small = page(owner, "limit=1");
        assertThat(small.get("events").size()).isOne();
        assertThat(small.get("hasMore").asBoolean()).isTrue();
        assertThat(small.get("nextBefore").asLong()).isEqualTo(small.get("events").get(0).get("chainSeq").asLong());
        // two more views since: this one's and the one of limit=1
        assertThat(events(page(owner, "")).size()).as("default limit").isEqualTo(Math.min(100, oneSeqs.size() + 2));
    }

    @Test
    void filtersByActorActionAndTime() {
        // action: exact, a name with the actions below it, a dotted prefix
        assertThat(actions(page(owner, "action=org.user.created&limit=500"))).isNotEmpty().containsOnly("org.user.created");
        assertThat(actions(page(owner, "action=org.user&limit=500"))).contains("org.user.created").allMatch(a -> a.startsWith("org.user."));
        assertThat(actions(page(owner, "action=org.&limit=500"))).contains("org.created", "org.user.created", "org.department.created")
                .allMatch(a -> a.startsWith("org."));
        assertThat(actions(page(owner, "action=org.us&limit=500"))).as("no partial words").isEmpty();
        assertThat(actions(page(owner, "action=" + q("ORG.Created")))).as("case-insensitive").containsOnly("org.created");

        // actor: login ID, its beginning (full-width and upper case typed), or user id
        List<JsonNode> tanaka = events(page(owner, "actor=tanaka&limit=500"));
        assertThat(tanaka).isNotEmpty().allMatch(e -> e.get("actorLogin").asText().equals("tanaka"));
        assertThat(events(page(owner, "actor=" + q("ＴＡＮ") + "&limit=500"))).hasSameSizeAs(tanaka);
        List<JsonNode> byId = events(page(owner, "actor=" + admin.userId() + "&limit=500"));
        assertThat(byId).isNotEmpty().allMatch(e -> e.get("actorId").asText().equals(admin.userId()));
        assertThat(events(page(owner, "actor=ta_aka"))).as("_ is a character, not a wildcard").isEmpty();
        assertThat(events(page(owner, "actor=" + q("%")))).isEmpty();

        // time: from inclusive, to exclusive; the department was created after midway, the users before
        List<String> after = actions(page(owner, "from=" + q(midway.toString()) + "&limit=500"));
        assertThat(after).contains("org.department.created").doesNotContain("org.created", "org.user.created");
        List<String> before = actions(page(owner, "to=" + q(midway.toString()) + "&limit=500"));
        assertThat(before).contains("org.created", "org.user.created").doesNotContain("org.department.created");
        String jst = midway.atOffset(java.time.ZoneOffset.ofHours(9)).toString();
        assertThat(actions(page(owner, "to=" + q(jst) + "&limit=500"))).as("an offset is understood").isEqualTo(before);

        // together
        List<JsonNode> both = events(page(owner, "actor=tanaka&action=org.department&from=" + q(midway.toString())));
        assertThat(both).hasSize(1);
        assertThat(both.get(0).get("action").asText()).isEqualTo("org.department.created");
    }

    @Test
    void badParametersAreInvalidFieldNamingTheParameter() {
        Map<String, String> bad = Map.of(
                "limit=0", "limit", "limit=501", "limit", "limit=ten", "limit",
                "before=0", "before", "before=x", "before",
                "from=2026-11-26", "from", "to=yesterday", "to",
                "from=2026-11-27T00:00:00Z&to=2026-11-26T00:00:00Z", "to",
                "action=" + q("policy.*"), "action",
                "actor=" + "a".repeat(65), "actor");
        bad.forEach((query, field) -> {
            Response r = server.get(audit(query), owner.accessToken());
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.code()).as(query).isEqualTo("invalid_field");
            assertThat(r.text("field")).as(query).isEqualTo(field);
            if (!field.equals("limit") && !field.equals("before")) {
                Response csv = server.get("/api/v1/orgs/" + orgId + "/audit.csv?" + query, owner.accessToken());
                assertThat(csv.status()).as("csv " + query).isEqualTo(400);
                assertThat(csv.text("field")).as("csv " + query).isEqualTo(field);
            }
        });
    }

    @Test
    void nobodyElseReadsTheLog() {
        for (String path : List.of(audit(""), "/api/v1/orgs/" + orgId + "/audit.csv")) {
            Response m = server.get(path, member.accessToken());
            assertThat(m.status()).as(path).isEqualTo(403);
            assertThat(m.code()).isEqualTo("forbidden");
            assertThat(server.get(path, otherOwner.accessToken()).code()).as("another org's owner").isEqualTo("not_found");
            assertThat(server.get(path, operator.accessToken()).code()).as("the operator").isEqualTo("not_found");
            assertThat(server.get(path, null).status()).isEqualTo(401);
        }
        assertThat(server.get("/api/v1/orgs/" + otherOrgId + "/audit", owner.accessToken()).code()).isEqualTo("not_found");
        assertThat(server.get("/api/v1/orgs/12345678901234567890/audit", owner.accessToken()).code()).isEqualTo("not_found");
        // The other org's owner reads their own log, which holds nothing of this one.
        List<JsonNode> theirs = allOf(otherOrgId, otherOwner, "limit=500");
        assertThat(theirs).isNotEmpty().noneMatch(e -> e.get("actorLogin").asText("").equals("yamada"));
        assertThat(server.get(audit(""), member.accessToken()).status()).as("refusals are not views").isEqualTo(403);
    }

    @Test
    void csvExportIsTheSameEvents_streamedWithABom_andIsRecordedWithItsFiltersAndCount() {
        String filters = "action=org.&from=" + q("2000-01-01T00:00:00Z");
        List<JsonNode> shown = all(owner, filters + "&limit=500");
        Response r = server.get("/api/v1/orgs/" + orgId + "/audit.csv?" + filters, admin.accessToken());
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/csv; charset=utf-8");
        assertThat(r.header("Content-Disposition")).matches("attachment; filename=\"kairan-audit-" + orgId + "-[0-9]{8}-[0-9]{6}Z\\.csv\"");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        String body = r.raw().body();
        assertThat(body).startsWith("\uFEFFchainSeq,occurredAt,occurredAtJst,actorId,actorLogin,actorName,action,targetType,"
                + "targetId,ip,requestId,detail,id\r\n");
        List<List<String>> rows = parseCsv(body.substring(1));
        assertThat(rows.get(0)).isEqualTo(AuditQueryCsv.COLUMNS);
        List<List<String>> data = rows.subList(1, rows.size());
        assertThat(data).hasSize(shown.size());
        assertThat(r.header("X-Kairan-Audit-Rows")).isEqualTo(Integer.toString(shown.size()));
        for (int i = 0; i < data.size(); i++) {
            List<String> row = data.get(i);
            JsonNode e = shown.get(i);
            assertThat(row).hasSize(13);
            assertThat(row.get(0)).isEqualTo(e.get("chainSeq").asText());
            assertThat(Instant.parse(row.get(1))).isEqualTo(Instant.parse(e.get("occurredAt").asText()));
            assertThat(row.get(2)).isEqualTo(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                    .format(Instant.parse(row.get(1)).atZone(java.time.ZoneId.of("Asia/Tokyo"))));
            assertThat(row.get(6)).isEqualTo(e.get("action").asText()).startsWith("org.");
            assertThat(row.get(12)).isEqualTo(e.get("id").asText());
            if (e.get("detail").isNull()) {
                assertThat(row.get(11)).isEmpty();
            } else {
                assertThat(row.get(11)).as("the detail as stored").isEqualTo(storedDetail(row.get(12)));
                assertThat(readTree(row.get(11))).isEqualTo(e.get("detail"));
            }
        }
        assertThat(data).anySatisfy(row -> assertThat(row.get(5)).isEqualTo("田中 次郎"));
        assertThat(data).anySatisfy(row -> assertThat(row.get(11)).contains("\""));

        JsonNode exported = events(page(owner, "action=audit.exported")).get(0);
        assertThat(exported.get("actorId").asText()).isEqualTo(admin.userId());
        assertThat(exported.get("detail").get("action").asText()).isEqualTo("org.");
        assertThat(exported.get("detail").get("from").asText()).isEqualTo("2000-01-01T00:00:00Z");
        assertThat(exported.get("detail").get("rows").asLong()).isEqualTo(data.size());
        assertThat(exported.get("detail").get("format").asText()).isEqualTo("csv");
        assertThat(exported.get("detail").get("upToSeq").asLong()).isLessThan(exported.get("chainSeq").asLong())
                .isGreaterThanOrEqualTo(Long.parseLong(data.get(0).get(0)));
        assertThat(AuditIntegrity.verify(db, Long.parseLong(orgId)).get(0).problem()).as("the chain stays intact").isNull();
    }

    @Test
    void aLargeExportStreamsInBatches_andHoldsOnlyWhatExistedWhenItStarted() {
        TestServer.Org org = server.createOrg(operator, "大量町", "tairyo.owner", "大量 太郎", "Kaede-Mori-2026");
        long id = Long.parseLong(org.id());
        int extra = AuditQuery.EXPORT_BATCH * 2 + 345;
        AuditService audit = new AuditService(server.clock(), Json.mapper());
        db.call(tx -> {
            for (int i = 0; i < extra; i++) {
                audit.record(tx, new AuditEvent(id, null, "=cmd|' /C calc'!A" + i, AuditAction.LOGIN_FAILED, "user", null,
                        Map.of("reason", "試験, \"" + i + "\"")), new Origin("192.0.2." + (i % 250), null));
            }
            return null;
        });
        String path = "/api/v1/orgs/" + org.id() + "/audit.csv";
        Response r = server.get(path, org.owner().accessToken());
        assertThat(r.status()).isEqualTo(200);
        List<List<String>> rows = parseCsv(r.raw().body().substring(1));
        long total = Long.parseLong(r.header("X-Kairan-Audit-Rows"));
        assertThat(rows).hasSize((int) total + 1);
        assertThat(total).isGreaterThan(extra);
        assertThat(rows.get(1).get(6)).as("newest first").isEqualTo("auth.login.failed");
        assertThat(rows.stream().skip(1).map(row -> row.get(6))).doesNotContain("audit.exported");
        List<Long> seqs = rows.stream().skip(1).map(row -> Long.parseLong(row.get(0))).toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) - 1);
        }
        assertThat(seqs.get(seqs.size() - 1)).isOne();
        List<String> failed = rows.stream().skip(1).filter(row -> row.get(6).equals("auth.login.failed")).findFirst().orElseThrow();
        assertThat(failed.get(4)).as("a formula is shown, not run").startsWith("'=cmd|");
        assertThat(failed.get(11)).startsWith("{\"reason\":\"試験, \\\"");
        JsonNode exported = events(pageOf(org.id(), org.owner(), "action=audit.exported")).get(0);
        assertThat(exported.get("detail").get("rows").asLong()).isEqualTo(total);
        // A second export holds the first one's event.
        Response again = server.get(path, org.owner().accessToken());
        assertThat(parseCsv(again.raw().body().substring(1)).stream().skip(1).map(row -> row.get(6))).contains("audit.exported");
        assertThat(AuditIntegrity.verify(db, id).get(0).problem()).isNull();
    }

    @Test
    void csvCellsAreQuotedAndFormulasNeutralized() {
        assertThat(AuditQueryCsv.cell(null, true)).isEmpty();
        assertThat(AuditQueryCsv.cell("yamada", true)).isEqualTo("yamada");
        assertThat(AuditQueryCsv.cell("a,b", true)).isEqualTo("\"a,b\"");
        assertThat(AuditQueryCsv.cell("say \"hi\"", true)).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AuditQueryCsv.cell("two\r\nlines", true)).isEqualTo("\"two\r\nlines\"");
        assertThat(AuditQueryCsv.cell("=1+1", true)).isEqualTo("'=1+1");
        assertThat(AuditQueryCsv.cell("+81", true)).isEqualTo("'+81");
        assertThat(AuditQueryCsv.cell("-2", true)).isEqualTo("'-2");
        assertThat(AuditQueryCsv.cell("@SUM(A1)", true)).isEqualTo("'@SUM(A1)");
        assertThat(AuditQueryCsv.cell("=a,b", true)).isEqualTo("\"'=a,b\"");
        assertThat(AuditQueryCsv.cell("=header", false)).isEqualTo("=header");
        assertThat(AuditRepository.likePrefix("a_b%c!")).isEqualTo("a!_b!%c!!%");
    }

    // ------------------------------------------------------------------ helpers

    private static String storedDetail(String eventId) {
        return db.call(tx -> tx.jdbc(c -> {
            try (var ps = c.prepareStatement("SELECT detail FROM audit_events WHERE id = ?")) {
                ps.setLong(1, Long.parseLong(eventId));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }));
    }

    private static JsonNode readTree(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }

    /** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
                i++;
                continue;
            }
            if (c == '"') {
                assertThat(cell).as("a quote only opens a field").isEmpty();
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r') {
                assertThat(text.charAt(i + 1)).as("CRLF").isEqualTo('\n');
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                assertThat(c).as("bare LF").isNotEqualTo('\n');
                cell.append(c);
            }
            i++;
        }
        assertThat(quoted).isFalse();
        assertThat(cell).as("the last record ends with CRLF").isEmpty();
        assertThat(row).isEmpty();
        return rows;
    }
}
