package jp.kairan.server.mail;

/**
 * A mail could not be handed to the SMTP server: bad recipient address, connection failure or
 * timeout, TLS failure, authentication failure, or refusal. The message names the recipient's
 * domain only; the cause is the Jakarta Mail or I/O exception.
 */
public final class MailSendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MailSendException(String message, Throwable cause) {
        super(message, cause);
    }
}
