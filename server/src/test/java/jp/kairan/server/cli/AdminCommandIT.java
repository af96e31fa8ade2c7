package jp.kairan.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.kairan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator's command-line tasks, run against the same MariaDB database as a running server. */
class AdminCommandIT {
    private static final Pattern PASSWORD = Pattern.compile("initial password \\(shown once\\): (\\S+)");
    private static TestServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run admin(String... args) throws Exception {
        Path config = dir.resolve("kairan.properties");
        Files.writeString(config, "database.jdbc-url=" + server.database().jdbcUrl() + "\n"
                + "database.user=" + server.database().user() + "\n"
                + "database.password=" + server.database().password() + "\n"
                + "auth.argon2-memory-kib=7168\nauth.argon2-iterations=5\n");
        String[] all = new String[args.length + 5];
        all[0] = "admin";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        all[args.length + 3] = "--data-dir";
        all[args.length + 4] = dir.toString();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new Main()).execute(all);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String password(Run run) {
        Matcher m = PASSWORD.matcher(run.out());
        assertThat(m.find()).as(run.out() + run.err()).isTrue();
        return m.group(1);
    }

    @Test
    void createOrg_resetPassword_unlock() throws Exception {
        Run created = admin("create-org", "--name", "丙村", "--lg-code", "011002", "--owner-login", "cli.owner",
                "--owner-name", "丙 所有者");
        assertThat(created.exit()).isZero();
        assertThat(created.out()).contains("丙村").contains("cli.owner");
        String initial = password(created);
        var owner = server.firstSignIn("cli.owner", initial, "Hitsuji-Kumo-31");

        for (int i = 0; i < 5; i++) {
            server.post("/api/v1/auth/login", Map.of("loginId", "cli.owner", "password", "wrong-password-x"), null);
        }
        assertThat(server.post("/api/v1/auth/login", Map.of("loginId", "cli.owner", "password", "Hitsuji-Kumo-31"), null).code())
                .isEqualTo("account_locked");
        Run unlocked = admin("unlock", "cli.owner");
        assertThat(unlocked.exit()).isZero();
        assertThat(server.signIn("cli.owner", "Hitsuji-Kumo-31", owner.totpSecret()).accessToken()).isNotBlank();

        Run reset = admin("reset-password", "cli.owner", "--reset-totp");
        assertThat(reset.exit()).isZero();
        assertThat(server.firstSignIn("cli.owner", password(reset), "Hitsuji-Kumo-32").userId()).isEqualTo(owner.userId());
    }

    @Test
    void errorsAreReportedWithTheirCode() throws Exception {
        Run unknown = admin("unlock", "no.such.user");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("not_found");
        Run badCode = admin("create-org", "--name", "x", "--lg-code", "123456", "--owner-login", "abc.def", "--owner-name", "x");
        assertThat(badCode.exit()).isEqualTo(1);
        assertThat(badCode.err()).contains("invalid_field").contains("lgCode");
    }
}
