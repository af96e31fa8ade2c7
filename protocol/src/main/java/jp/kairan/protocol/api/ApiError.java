package jp.kairan.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import jp.kairan.protocol.PolicyFinding;

/**
 * The body of every error response.
 *
 * @param code      stable code from {@link jp.kairan.protocol.ErrorCode}
 * @param message   English message
 * @param messageJa Japanese message
 * @param retryable whether retrying the same request may succeed
 * @param requestId the request's id, for support
 * @param field     the offending field for {@code invalid_field}, else absent
 * @param detail    what was found, as one English line, for {@code content_blocked} and
 *                  {@code confirmation_required}; for {@code password_policy} the rule broken ({@code too_short},
 *                  {@code too_long}, {@code login_id}, {@code repeated}, {@code common}, {@code same_as_current}); else absent
 * @param findings  what was found (masked), for those two codes; else absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String code, String message, String messageJa, boolean retryable, String requestId,
                       String field, String detail, List<PolicyFinding> findings) {
    public ApiError(String code, String message, String messageJa, boolean retryable, String requestId, String field) {
        this(code, message, messageJa, retryable, requestId, field, null, null);
    }
}
