package jp.kairan.server.mail;

/** Mail was to be sent, but this server has no SMTP configuration ({@link MailConfig#disabled()}). */
public final class MailNotConfiguredException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MailNotConfiguredException() {
        super("Mail is not configured on this server (no SMTP host): codes by e-mail are unavailable");
    }
}
