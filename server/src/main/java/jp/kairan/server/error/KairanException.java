package jp.kairan.server.error;

import jp.kairan.protocol.ErrorCode;

/**
 * A failure that maps to one stable {@link ErrorCode} on the wire. Features throw it (through the factory
 * methods, which name the situation); each transport translates it in exactly one place. The message is for
 * logs and diagnosis and is never sent to clients, which get the code's own Japanese and English texts.
 */
public class KairanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;
    private final String field;

    public KairanException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public KairanException(ErrorCode code, String message, String field) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    /** The wire code. */
    public ErrorCode code() {
        return code;
    }

    /** The offending field for {@link ErrorCode#INVALID_FIELD}, else null. */
    public String field() {
        return field;
    }

    /** A line for the client's {@code detail}, safe to show (never message text); null by default. */
    public String detail() {
        return null;
    }

    /** What the classifier found, for content errors; null by default. */
    public java.util.List<jp.kairan.protocol.PolicyFinding> findings() {
        return null;
    }

    public static KairanException invalidField(String field, String why) {
        return new KairanException(ErrorCode.INVALID_FIELD, field + ": " + why, field);
    }

    public static KairanException forbidden(String why) {
        return new KairanException(ErrorCode.FORBIDDEN, why);
    }

    public static KairanException notFound(String what) {
        return new KairanException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public static KairanException conflict(String why) {
        return new KairanException(ErrorCode.CONFLICT, why);
    }
}
