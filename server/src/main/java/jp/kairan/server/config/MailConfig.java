package jp.kairan.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the SMTP server that sends sign-in codes. {@link #disabled()} is the configuration
 * of a server without SMTP; its {@code MailSender} fails every send with
 * {@code MailNotConfiguredException}. {@link #toString()} masks the password.
 *
 * @param host           SMTP host name; empty only in {@link #disabled()}
 * @param port           SMTP port, usually 25 or 587 ({@code starttls}) or 465 ({@code tls})
 * @param security       how the connection is protected
 * @param username       SMTP AUTH user; empty for no authentication
 * @param password       SMTP AUTH password; present exactly when {@code username} is
 * @param fromAddress    envelope and header sender, e.g. {@code kairan@city.example.lg.jp}
 * @param fromName       display name of the sender, e.g. {@code Kairan (○○市)}; empty for none
 * @param connectTimeout limit for establishing the connection
 * @param readTimeout    limit for each read and write on the connection
 */
public record MailConfig(String host, int port, Security security, Optional<String> username, Optional<String> password,
                         String fromAddress, Optional<String> fromName, Duration connectTimeout, Duration readTimeout) {

    private static final Duration DISABLED_TIMEOUT = Duration.ofSeconds(1);

    /** How the SMTP connection is protected. */
    public enum Security {
        /** Plain text; for a relay on localhost or a trusted network only. */
        NONE,
        /** Plain connection upgraded with STARTTLS, which is required: the server must offer it. */
        STARTTLS,
        /** TLS from the first byte ("SMTPS", "implicit TLS"). */
        TLS;

        /**
         * The value of a configuration string: {@code none}, {@code starttls} or {@code tls}, in any case.
         *
         * @throws IllegalArgumentException for any other value
         */
        public static Security of(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "starttls" -> STARTTLS;
                case "tls" -> TLS;
                default -> throw new IllegalArgumentException("Mail security must be none, starttls or tls, not \"" + value + "\"");
            };
        }
    }

    /** @throws IllegalArgumentException if an enabled configuration has a bad port, sender, credentials or timeout */
    public MailConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(fromAddress, "fromAddress");
        Objects.requireNonNull(fromName, "fromName");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (!host.isEmpty()) {
            if (host.isBlank() || port < 1 || port > 65_535) {
                throw new IllegalArgumentException("Mail host must be a name and port 1 to 65535, not \"" + host + "\":" + port);
            }
            if (fromAddress.isBlank() || fromAddress.indexOf('@') < 0) {
                throw new IllegalArgumentException("Mail from address must be an address, not \"" + fromAddress + "\"");
            }
            if (username.isPresent() != password.isPresent()) {
                throw new IllegalArgumentException("Mail username and password must be set together");
            }
            if (!isPositive(connectTimeout) || !isPositive(readTimeout)) {
                throw new IllegalArgumentException("Mail timeouts must be positive, not connect=" + connectTimeout
                        + ", read=" + readTimeout);
            }
        }
    }

    /** The configuration of a server that sends no mail. */
    public static MailConfig disabled() {
        return new MailConfig("", 0, Security.NONE, Optional.empty(), Optional.empty(), "", Optional.empty(),
                DISABLED_TIMEOUT, DISABLED_TIMEOUT);
    }

    /** Whether mail can be sent; false for {@link #disabled()}. */
    public boolean enabled() {
        return !host.isEmpty();
    }

    @Override
    public String toString() {
        if (!enabled()) {
            return "MailConfig[disabled]";
        }
        return "MailConfig[host=\"" + host + "\", port=" + port + ", security=" + security
                + ", username=" + username.map(u -> "\"" + u + "\"").orElse("none")
                + ", password=" + (password.isPresent() ? "<masked>" : "none")
                + ", fromAddress=\"" + fromAddress + "\", fromName=" + fromName.map(n -> "\"" + n + "\"").orElse("none")
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
