package jp.kairan.server.auth;

import java.text.Normalizer;
import java.time.Instant;
import java.util.Map;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.org.UserProfile;

/**
 * The small pure pieces of sign-in: one-time codes as typed and as stored, masked addresses, the audit event of a
 * step and the exceptions of refused steps. No state.
 */
final class SignInText {
    private SignInText() {
    }

    /** A code to mail; masked when printed. */
    record Mail(String to, String code) {
        @Override
        public String toString() {
            return "Mail[<masked>]";
        }
    }

    /**
     * A one-time password as typed, made comparable: NFKC (full-width digits typed with a Japanese IME become
     * ASCII) without spaces or hyphens ("123 456"). Null stays null.
     */
    static String normalizeCode(String typed) {
        if (typed == null || typed.length() > 32) {
            return typed;
        }
        return Normalizer.normalize(typed, Normalizer.Form.NFKC).replaceAll("[\\s-]", "");
    }

    /** What is stored of a mailed code: bound to its ticket. */
    static String emailCodeHash(LoginTicket t, String code) {
        return Secrets.sha256(t.ticketHash() + ":" + code);
    }

    /** Whether {@code code} is the ticket's mailed code, still valid at {@code now}. */
    static boolean emailCodeMatches(LoginTicket t, String code, Instant now) {
        if (t.emailCodeHash() == null || t.emailCodeExpires() == null || !t.emailCodeExpires().isAfter(now)
                || code == null || !code.matches("[0-9]{6}")) {
            return false;
        }
        return Secrets.sameHash(t.emailCodeHash(), emailCodeHash(t, code));
    }

    /** {@code yamada@city.example.jp} → {@code y****@city.example.jp}. */
    static String maskEmail(String email) {
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "*".repeat(Math.max(3, at - 1)) + email.substring(at);
    }

    static String domainOf(String email) {
        int at = email == null ? -1 : email.indexOf('@');
        return at < 0 ? "?" : email.substring(at + 1);
    }

    /** A sign-in audit event about {@code user} (null for an unknown login ID). */
    static AuditEvent event(UserProfile user, String loginId, AuditAction action, Map<String, ?> detail) {
        return new AuditEvent(user == null ? null : user.orgId(), user == null ? null : user.id(), loginId, action,
                user == null ? null : "user", user == null ? null : Long.toString(user.id()), detail);
    }

    /** The exception of an end that refuses any step on a ticket. */
    static KairanException refusal(SignInStep end, UserProfile user) {
        String why = switch (end) {
            case EXPIRED -> "unknown or expired ticket";
            case LOCKED -> "account " + user.id() + " is locked";
            case SUSPENDED -> "user " + user.id() + " is suspended";
            case NO_SECOND_FACTOR -> "no usable second factor: the org allows only e-mail and the user has no address (or mail is off)";
            default -> "sign-in refused: " + end;
        };
        return new KairanException(end.refusal, why);
    }

    /** Why a request for step {@code expected} does not fit a ticket at {@code current}. */
    static String notAt(SignInStep current, SignInStep expected) {
        if (expected == SignInStep.DEVICE_REGISTER && current == SignInStep.DEVICE_PENDING) {
            return "a device is already registered in this sign-in";
        }
        if (expected == SignInStep.DEVICE_PENDING && current == SignInStep.DEVICE_REGISTER) {
            return "no device waits in this sign-in";
        }
        return "the current sign-in step is " + current.wire + ", not " + expected.wire;
    }
}
