package jp.kairan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One-time passwords mailed through a real SMTP server (GreenMail, in-process) on real MariaDB. */
class MailedCodeIT {
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    private static GreenMail smtp;
    private static TestServer server;
    private static String orgId;
    private static String ownerInitialPassword;
    private static TestServer.SignedIn operator;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        server = TestServer.start(Map.of("mail.host", "127.0.0.1", "mail.port", Integer.toString(smtp.getSmtp().getPort()),
                "mail.security", "none", "mail.from", "kairan@city.example.jp"));
        operator = server.operator();
        var op = operator;
        Response created = server.post("/api/v1/orgs", Map.of("name", "丁市", "owner",
                Map.of("loginId", "owner.mail", "displayName", "郵便 太郎", "email", "owner.mail@city.example.jp")), op.accessToken());
        orgId = created.body().get("org").get("id").asText();
        ownerInitialPassword = created.text("initialPassword");
    }

    @AfterAll
    static void stop() {
        server.close();
        smtp.stop();
    }

    @Test
    void firstSignInByMailedCode_thenPasswordChange_isDone() throws Exception {
        Response step = server.post("/api/v1/auth/login", Map.of("loginId", "owner.mail", "password", ownerInitialPassword), null);
        assertThat(step.text("next")).isEqualTo("otp");
        assertThat(step.body().get("methods").toString()).isEqualTo("[\"email\"]");
        assertThat(step.text("emailHint")).isEqualTo("o*********@city.example.jp");
        String ticket = step.text("ticket");

        assertThat(server.post("/api/v1/auth/otp/email", Map.of("ticket", ticket), null).status()).isEqualTo(204);
        String code = awaitCode(1);
        assertThat(server.post("/api/v1/auth/otp/email", Map.of("ticket", ticket), null).code()).isEqualTo("rate_limited");

        String wrong = code.equals("000000") ? "111111" : "000000";
        assertThat(server.post("/api/v1/auth/otp", Map.of("ticket", ticket, "method", "email", "code", wrong), null).code())
                .isEqualTo("otp_invalid");
        Response ok = server.post("/api/v1/auth/otp", Map.of("ticket", ticket, "method", "email", "code", code), null);
        assertThat(ok.text("next")).isEqualTo("password_change");
        assertThat(server.post("/api/v1/auth/otp", Map.of("ticket", ticket, "method", "email", "code", code), null).code())
                .as("a used code and a finished step are refused").isEqualTo("conflict");
        Response device = server.post("/api/v1/auth/password", Map.of("ticket", ticket, "newPassword", "Yuubin-Kyoku-99"), null);
        assertThat(device.text("next")).as("signed in, but not on a registered device").isEqualTo("device_register");
        jp.kairan.server.testing.DeviceKey key = jp.kairan.server.testing.DeviceKey.generate(server.clock());
        Response done = server.postAs(key, "/api/v1/auth/device", Map.of("ticket", ticket, "name", "庁舎PC 3F-12",
                "publicKey", key.publicJwk()));
        assertThat(done.text("next")).as("the organization's first owner approves their first device").isEqualTo("done");
        // The user hears of every device registered in their name.
        assertThat(smtp.waitForIncomingEmail(10_000, 2)).isTrue();
        MimeMessage notice = smtp.getReceivedMessages()[1];
        assertThat(notice.getSubject()).contains("新しい端末");
        assertThat((String) notice.getContent()).contains("庁舎PC 3F-12").contains("127.0.0.1");

        // Later sign-ins: a mailed code expires after five minutes.
        Response again = server.post("/api/v1/auth/login", Map.of("loginId", "owner.mail", "password", "Yuubin-Kyoku-99"), null);
        server.post("/api/v1/auth/otp/email", Map.of("ticket", again.text("ticket")), null);
        String late = awaitCode(3);
        server.clock().advance(Duration.ofMinutes(6));
        assertThat(server.post("/api/v1/auth/otp", Map.of("ticket", again.text("ticket"), "method", "email", "code", late), null).code())
                .isEqualTo("otp_invalid");
    }

    @Test
    void emailCodes_areRefusedWhenTheOrgAllowsOnlyTotp() {
        Response org = server.post("/api/v1/orgs", Map.of("name", "戊村", "owner",
                Map.of("loginId", "owner.totp", "displayName", "戊 所有者")), server.signIn("operator", TestServer.OPERATOR_PASSWORD, operator.totpSecret()).accessToken());
        String otherOrg = org.body().get("org").get("id").asText();
        String owner = server.firstSignIn("owner.totp", org.text("initialPassword"), "Kamome-Minato-8").accessToken();
        Response created = server.post("/api/v1/orgs/" + otherOrg + "/users", Map.of("loginId", "staff.mail",
                "displayName", "職員 郵便", "email", "staff.mail@city.example.jp"), owner);
        assertThat(server.patch("/api/v1/orgs/" + otherOrg, Map.of("allowedFactors", java.util.List.of("totp")), owner).status())
                .isEqualTo(200);
        Response step = server.post("/api/v1/auth/login", Map.of("loginId", "staff.mail", "password", created.text("initialPassword")), null);
        assertThat(step.text("next")).isEqualTo("password_change");
        assertThat(server.post("/api/v1/auth/otp/email", Map.of("ticket", step.text("ticket")), null).code()).isEqualTo("conflict");
    }

    private static String awaitCode(int count) {
        assertThat(smtp.waitForIncomingEmail(10_000, count)).isTrue();
        MimeMessage m = smtp.getReceivedMessages()[count - 1];
        try {
            assertThat(m.getSubject()).contains("サインイン");
            assertThat(m.getAllRecipients()[0].toString()).isEqualTo("owner.mail@city.example.jp");
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
        Matcher matcher;
        try {
            matcher = CODE.matcher((String) m.getContent());
        } catch (jakarta.mail.MessagingException | java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
