package jp.kairan.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import jp.kairan.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Organizations, departments, users and roles over the HTTP API on real MariaDB, with the authorization rules:
 * operator vs. owner vs. admin vs. member, and other organizations as not found.
 */
class OrgApiIT {
    private static TestServer server;
    private static SignedIn operator;
    private static String orgA;
    private static String orgB;
    private static SignedIn ownerA;
    private static SignedIn ownerB;
    private static SignedIn adminA;
    private static SignedIn memberA;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        operator = server.operator();
        Response a = server.post("/api/v1/orgs", Map.of("name", "甲市", "lgCode", "011002",
                "owner", Map.of("loginId", "owner.a", "displayName", "甲 所有者", "email", "owner.a@city-a.example.jp")),
                operator.accessToken());
        Response b = server.post("/api/v1/orgs", Map.of("name", "乙町",
                "owner", Map.of("loginId", "owner.b", "displayName", "乙 所有者")), operator.accessToken());
        orgA = a.body().get("org").get("id").asText();
        orgB = b.body().get("org").get("id").asText();
        ownerA = server.firstSignIn("owner.a", a.text("initialPassword"), "Sakura-Hana-101");
        ownerB = server.firstSignIn("owner.b", b.text("initialPassword"), "Fuji-Yama-202");
        Response admin = server.post(users(orgA), Map.of("loginId", "admin.a", "displayName", "管理 花子", "roles", List.of("admin")),
                ownerA.accessToken());
        adminA = server.firstSignIn("admin.a", admin.text("initialPassword"), "Kaede-Aki-303");
        Response member = server.post(users(orgA), Map.of("loginId", "member.a", "displayName", "職員 一郎",
                "email", "member.a@city-a.example.jp"), adminA.accessToken());
        memberA = server.firstSignIn("member.a", member.text("initialPassword"), "Ume-Haru-404");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String users(String org) {
        return "/api/v1/orgs/" + org + "/users";
    }

    private static String fresh(SignedIn s, String loginId) {
        return server.signIn(loginId, s.password(), s.totpSecret()).accessToken();
    }

    @Test
    void operatorCreatesAndListsOrganizations_butNobodyElseMay() {
        String op = fresh(operator, "operator");
        Response list = server.get("/api/v1/orgs", op);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().findValuesAsText("name")).contains("甲市", "乙町");
        JsonNode a = list.body().get(0);
        assertThat(a.get("lgCode").asText()).isEqualTo("011002");
        assertThat(a.get("allowedFactors").toString()).contains("totp", "email");

        String owner = fresh(ownerA, "owner.a");
        assertThat(server.get("/api/v1/orgs", owner).code()).isEqualTo("forbidden");
        assertThat(server.post("/api/v1/orgs", Map.of("name", "x", "owner", Map.of("loginId", "xx.yy", "displayName", "x")), owner).code())
                .isEqualTo("forbidden");
    }

    @Test
    void badLocalGovernmentCode_andTakenLoginId_areRefused() {
        String op = fresh(operator, "operator");
        Response badCode = server.post("/api/v1/orgs", Map.of("name", "丙村", "lgCode", "011003",
                "owner", Map.of("loginId", "owner.c", "displayName", "丙")), op);
        assertThat(badCode.status()).isEqualTo(400);
        assertThat(badCode.code()).isEqualTo("invalid_field");
        assertThat(badCode.text("field")).isEqualTo("lgCode");
        Response taken = server.post("/api/v1/orgs", Map.of("name", "丙村",
                "owner", Map.of("loginId", "OWNER.A", "displayName", "丙")), op);
        assertThat(taken.code()).isEqualTo("conflict");
    }

    @Test
    void operatorReadsNoUsersOfAnOrganization() {
        String op = fresh(operator, "operator");
        assertThat(server.get(users(orgA), op).code()).isEqualTo("not_found");
        assertThat(server.get("/api/v1/orgs/" + orgA + "/departments", op).code()).isEqualTo("not_found");
        assertThat(server.get("/api/v1/orgs/" + orgA, op).status()).isEqualTo(200);
    }

    @Test
    void otherOrganizations_areNotFound_onEveryPath() {
        String owner = fresh(ownerB, "owner.b");
        assertThat(server.get("/api/v1/orgs/" + orgA, owner).code()).isEqualTo("not_found");
        assertThat(server.get(users(orgA), owner).code()).isEqualTo("not_found");
        assertThat(server.get(users(orgA) + "/" + memberA.userId(), owner).code()).isEqualTo("not_found");
        assertThat(server.get(users(orgB) + "/" + memberA.userId(), owner).code()).isEqualTo("not_found");
        assertThat(server.patch(users(orgA) + "/" + memberA.userId(), Map.of("displayName", "x"), owner).code()).isEqualTo("not_found");
        assertThat(server.post(users(orgA) + "/" + memberA.userId() + "/reset-password", null, owner).code()).isEqualTo("not_found");
        assertThat(server.post("/api/v1/orgs/" + orgA + "/departments", Map.of("name", "x"), owner).code()).isEqualTo("not_found");
        assertThat(server.patch("/api/v1/orgs/" + orgA, Map.of("name", "乗っ取り"), owner).code()).isEqualTo("not_found");
    }

    @Test
    void departmentsFormATree_withoutCycles_andOnlyEmptyOnesAreDeleted() {
        String admin = fresh(adminA, "admin.a");
        String path = "/api/v1/orgs/" + orgA + "/departments";
        Response soumu = server.post(path, Map.of("name", "総務部"), admin);
        assertThat(soumu.status()).isEqualTo(201);
        String soumuId = soumu.text("id");
        Response jinji = server.post(path, Map.of("name", "人事課", "parentId", soumuId), admin);
        String jinjiId = jinji.text("id");
        assertThat(jinji.text("parentId")).isEqualTo(soumuId);

        Response cycle = server.patch(path + "/" + soumuId, Map.of("parentId", jinjiId), admin);
        assertThat(cycle.code()).isEqualTo("conflict");
        assertThat(server.patch(path + "/" + jinjiId, Map.of("name", "人事課（改）"), admin).text("name")).isEqualTo("人事課（改）");

        assertThat(server.call("DELETE", path + "/" + soumuId, null, admin, Map.of()).code()).isEqualTo("conflict");
        String member = fresh(memberA, "member.a");
        assertThat(server.get(path, member).body().findValuesAsText("name")).contains("総務部", "人事課（改）");
        assertThat(server.post(path, Map.of("name", "勝手な課"), member).code()).isEqualTo("forbidden");
        assertThat(server.call("DELETE", path + "/" + jinjiId, null, admin, Map.of()).status()).isEqualTo(204);
        Response foreignParent = server.post("/api/v1/orgs/" + orgB + "/departments", Map.of("name", "x", "parentId", soumuId),
                fresh(ownerB, "owner.b"));
        assertThat(foreignParent.code()).isEqualTo("invalid_field");
    }

    @Test
    void onlyOwnersGrantOwnerAdminAuditor_andTheLastOwnerStays() {
        String admin = fresh(adminA, "admin.a");
        Response byAdmin = server.post(users(orgA), Map.of("loginId", "aud.a", "displayName", "監査 次郎", "roles", List.of("auditor")), admin);
        assertThat(byAdmin.code()).isEqualTo("forbidden");
        Response head = server.post(users(orgA), Map.of("loginId", "head.a", "displayName", "所属長 三郎", "roles", List.of("dept_head")), admin);
        assertThat(head.status()).isEqualTo(201);
        assertThat(head.body().get("user").get("roles").toString()).contains("dept_head", "member");

        String owner = fresh(ownerA, "owner.a");
        String headId = head.body().get("user").get("id").asText();
        Response promoted = server.patch(users(orgA) + "/" + headId, Map.of("roles", List.of("auditor", "dept_head")), owner);
        assertThat(promoted.body().get("roles").toString()).contains("auditor");

        Response demoteSelf = server.patch(users(orgA) + "/" + ownerA.userId(), Map.of("roles", List.of("member")), owner);
        assertThat(demoteSelf.code()).isEqualTo("conflict");
        Response suspendSelf = server.patch(users(orgA) + "/" + ownerA.userId(), Map.of("status", "suspended"), owner);
        assertThat(suspendSelf.code()).isEqualTo("conflict");
        Response unknownRole = server.patch(users(orgA) + "/" + headId, Map.of("roles", List.of("operator")), owner);
        assertThat(unknownRole.code()).isEqualTo("invalid_field");
    }

    @Test
    void membersSeeColleagues_butNotTheirAddresses_andCannotAdminister() {
        String member = fresh(memberA, "member.a");
        Response list = server.get(users(orgA), member);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().findValuesAsText("loginId")).contains("owner.a", "admin.a", "member.a");
        for (JsonNode u : list.body()) {
            assertThat(u.get("email").isNull()).isTrue();
        }
        assertThat(server.post(users(orgA), Map.of("loginId", "x.y.z", "displayName", "x"), member).code()).isEqualTo("forbidden");
        assertThat(server.patch("/api/v1/orgs/" + orgA, Map.of("allowedFactors", List.of("totp")), member).code()).isEqualTo("forbidden");

        String admin = fresh(adminA, "admin.a");
        Response asAdmin = server.get(users(orgA) + "?q=member", admin);
        assertThat(asAdmin.body().get(0).get("email").asText()).isEqualTo("member.a@city-a.example.jp");
    }

    @Test
    void theDirectoryShowsActiveColleaguesWithTheirDepartment_andRefusesTheOperator() {
        String admin = fresh(adminA, "admin.a");
        String kikakuId = server.post("/api/v1/orgs/" + orgA + "/departments", Map.of("name", "企画課"), admin).text("id");
        Response placed = server.post(users(orgA), Map.of("loginId", "dir.placed", "displayName", "名簿 五郎",
                "departmentId", kikakuId), admin);
        String placedId = placed.body().get("user").get("id").asText();
        Response gone = server.post(users(orgA), Map.of("loginId", "dir.gone", "displayName", "名簿 六郎"), admin);
        String goneId = gone.body().get("user").get("id").asText();
        assertThat(server.patch(users(orgA) + "/" + goneId, Map.of("status", "suspended"), admin).status()).isEqualTo(200);

        Response all = server.get("/api/v1/directory", fresh(memberA, "member.a"));
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().findValuesAsText("displayName")).contains("名簿 五郎", "職員 一郎").doesNotContain("名簿 六郎", "乙 所有者");
        Response named = server.get("/api/v1/directory?q=" + java.net.URLEncoder.encode("名簿", java.nio.charset.StandardCharsets.UTF_8),
                fresh(memberA, "member.a"));
        assertThat(named.body()).hasSize(1);
        JsonNode entry = named.body().get(0);
        assertThat(entry.get("id").asText()).isEqualTo(placedId);
        assertThat(entry.get("departmentId").asText()).isEqualTo(kikakuId);
        assertThat(entry.get("departmentName").asText()).isEqualTo("企画課");
        assertThat(entry.has("loginId")).isFalse();

        assertThat(server.get("/api/v1/directory", fresh(operator, "operator")).code()).isEqualTo("forbidden");
    }

    @Test
    void ownerChoosesSecondFactors_adminsMayNot_andAtLeastOneStays() {
        String admin = fresh(adminA, "admin.a");
        assertThat(server.patch("/api/v1/orgs/" + orgA, Map.of("allowedFactors", List.of("totp")), admin).code()).isEqualTo("forbidden");
        String owner = fresh(ownerA, "owner.a");
        assertThat(server.patch("/api/v1/orgs/" + orgA, Map.of("allowedFactors", List.of()), owner).code()).isEqualTo("invalid_field");
        assertThat(server.patch("/api/v1/orgs/" + orgA, Map.of("allowedFactors", List.of("sms")), owner).code()).isEqualTo("invalid_field");
        Response ok = server.patch("/api/v1/orgs/" + orgA, Map.of("allowedFactors", List.of("totp", "email")), owner);
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void resetPassword_forcesAChangeAndEndsSessions() {
        Response created = server.post(users(orgA), Map.of("loginId", "reset.a", "displayName", "再設定 四郎"), fresh(ownerA, "owner.a"));
        SignedIn staff = server.firstSignIn("reset.a", created.text("initialPassword"), "Kiku-Hatake-505");
        String admin = fresh(adminA, "admin.a");
        Response reset = server.post(users(orgA) + "/" + staff.userId() + "/reset-password", Map.of("resetTotp", true), admin);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(server.get("/api/v1/me", staff.accessToken()).code()).isEqualTo("unauthenticated");
        SignedIn again = server.firstSignIn("reset.a", reset.text("initialPassword"), "Kiku-Hatake-606");
        assertThat(again.userId()).isEqualTo(staff.userId());
    }
}
