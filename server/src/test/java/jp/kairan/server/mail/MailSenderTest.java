package jp.kairan.server.mail;

import jp.kairan.server.config.MailConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MailSenderTest {
    private static final Instant NOW = Instant.parse("2025-04-01T00:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofMillis(700);
    private static final String SUBJECT = "Kairan サインイン用確認コード / Sign-in code";
    private static final String BODY = "確認コード: 123456\n有効期限は 5 分です。\n\nYour code is 123456.\n";

    private GreenMail greenMail;

    @AfterEach
    void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    @Test
    void send_deliversJapaneseSubjectAndBodyIntact() throws Exception {
        greenMail = start(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        try (MailSender sender = new MailSender(config(greenMail.getSmtp().getPort(), Optional.empty(), Optional.empty()), CLOCK)) {
            sender.send("佐藤 <sato@city.example.lg.jp>", SUBJECT, BODY).get(10, TimeUnit.SECONDS);
        }

        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo(SUBJECT);
        assertThat(((String) received.getContent()).replace("\r\n", "\n")).isEqualTo(BODY);
        assertThat(received.getContentType()).containsIgnoringCase("charset=UTF-8");
        assertThat(received.getAllRecipients()).extracting(a -> ((InternetAddress) a).getAddress())
                .containsExactly("sato@city.example.lg.jp");
        InternetAddress from = (InternetAddress) received.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("kairan@city.example.lg.jp");
        assertThat(from.getPersonal()).isEqualTo("回覧 (○○市)");
        assertThat(received.getSentDate().toInstant()).isEqualTo(NOW);
        assertThat(received.getMessageID()).matches("<[^<>@\\s]+@city\\.example\\.lg\\.jp>");
    }

    @Test
    void send_authenticatesWhenConfigured() throws Exception {
        greenMail = start(GreenMailConfiguration.aConfig().withUser("relay@city.example.lg.jp", "relay", "s3cret"));
        int port = greenMail.getSmtp().getPort();
        try (MailSender sender = new MailSender(config(port, Optional.of("relay"), Optional.of("s3cret")), CLOCK)) {
            sender.send("sato@city.example.lg.jp", SUBJECT, BODY).get(10, TimeUnit.SECONDS);
        }
        try (MailSender wrong = new MailSender(config(port, Optional.of("relay"), Optional.of("wrong")), CLOCK)) {
            assertFailsWith(wrong.send("sato@city.example.lg.jp", SUBJECT, BODY), MailSendException.class);
        }

        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo(SUBJECT);
    }

    @Test
    void send_neverFallsBackToPlainTextWhenStarttlsIsRequired() {
        greenMail = start(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        MailConfig starttls = new MailConfig("127.0.0.1", greenMail.getSmtp().getPort(), MailConfig.Security.STARTTLS,
                Optional.empty(), Optional.empty(), "kairan@city.example.lg.jp", Optional.empty(), TIMEOUT, TIMEOUT);
        try (MailSender sender = new MailSender(starttls, CLOCK)) {
            assertFailsWith(sender.send("sato@city.example.lg.jp", SUBJECT, BODY), MailSendException.class);
        }

        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void send_failsWithinTheTimeoutWhenTheServerNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             MailSender sender = new MailSender(config(silent.getLocalPort(), Optional.empty(), Optional.empty()), CLOCK)) {
            long start = System.nanoTime();
            assertFailsWith(sender.send("sato@city.example.lg.jp", SUBJECT, BODY), MailSendException.class);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(5));
        }
    }

    @Test
    void send_failsWhenNothingListensOrTheHostDoesNotExist() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (MailSender refused = new MailSender(config(closedPort, Optional.empty(), Optional.empty()), CLOCK);
             MailSender unknown = new MailSender(withHost("smtp.kairan.invalid"), CLOCK)) {
            assertFailsWith(refused.send("sato@city.example.lg.jp", SUBJECT, BODY), MailSendException.class);
            assertFailsWith(unknown.send("sato@city.example.lg.jp", SUBJECT, BODY), MailSendException.class);
        }
    }

    @Test
    void send_failsFastWhenTheQueueIsFull() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             MailSender sender = new MailSender(config(silent.getLocalPort(), Optional.empty(), Optional.empty()), CLOCK, 1, 1)) {
            CompletableFuture<Void> running = sender.send("a@city.example.lg.jp", SUBJECT, BODY);
            CompletableFuture<Void> queued = sender.send("b@city.example.lg.jp", SUBJECT, BODY);
            CompletableFuture<Void> rejected = sender.send("c@city.example.lg.jp", SUBJECT, BODY);

            assertThat(rejected).isCompletedExceptionally();
            assertFailsWith(rejected, RejectedExecutionException.class);
            assertFailsWith(running, MailSendException.class);
            assertFailsWith(queued, MailSendException.class);
        }
    }

    @Test
    void send_rejectsBadAddressesAndMultiLineSubjects() {
        try (MailSender sender = new MailSender(config(25, Optional.empty(), Optional.empty()), CLOCK)) {
            assertFailsWith(sender.send("not an address", SUBJECT, BODY), MailSendException.class);
            assertFailsWith(sender.send("a@x.jp, b@y.jp", SUBJECT, BODY), MailSendException.class);
            assertFailsWith(sender.send("a@x.jp", "code\r\nBcc: victim@example.com", BODY), IllegalArgumentException.class);
        }
    }

    @Test
    void send_failsWithMailNotConfiguredWhenDisabled() {
        try (MailSender sender = new MailSender(MailConfig.disabled(), CLOCK)) {
            assertFailsWith(sender.send("sato@city.example.lg.jp", SUBJECT, BODY), MailNotConfiguredException.class);
        }
    }

    @Test
    void send_failsAfterClose() {
        MailSender sender = new MailSender(config(25, Optional.empty(), Optional.empty()), CLOCK);
        sender.close();

        assertFailsWith(sender.send("sato@city.example.lg.jp", SUBJECT, BODY), RejectedExecutionException.class);
    }

    @Test
    void config_masksThePasswordAndValidates() {
        assertThat(config(25, Optional.of("relay"), Optional.of("s3cret")).toString()).contains("<masked>").doesNotContain("s3cret");
        assertThat(MailConfig.disabled().enabled()).isFalse();
        assertThat(MailConfig.Security.of(" STARTTLS ")).isEqualTo(MailConfig.Security.STARTTLS);
        assertThatThrownBy(() -> MailConfig.Security.of("ssl")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(0, Optional.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(25, Optional.of("relay"), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void domainOf_isAllThatIsLogged() {
        assertThat(MailSender.domainOf("sato@city.example.lg.jp")).isEqualTo("city.example.lg.jp");
        assertThat(MailSender.domainOf("no-at-sign")).isEqualTo("<none>");
        assertThat(MailSender.domainOf("a@b\nFAKE LOG LINE")).doesNotContain("\n");
    }

    private static GreenMail start(GreenMailConfiguration configuration) {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.withConfiguration(configuration);
        mail.start();
        return mail;
    }

    private static MailConfig config(int port, Optional<String> username, Optional<String> password) {
        return new MailConfig("127.0.0.1", port, MailConfig.Security.NONE, username, password, "kairan@city.example.lg.jp",
                Optional.of("回覧 (○○市)"), TIMEOUT, TIMEOUT);
    }

    private static MailConfig withHost(String host) {
        return new MailConfig(host, 25, MailConfig.Security.NONE, Optional.empty(), Optional.empty(),
                "kairan@city.example.lg.jp", Optional.empty(), TIMEOUT, TIMEOUT);
    }

    private static void assertFailsWith(CompletableFuture<Void> future, Class<? extends Throwable> type) {
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause().isInstanceOf(type);
    }
}
