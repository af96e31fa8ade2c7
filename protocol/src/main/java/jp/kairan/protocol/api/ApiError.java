package jp.kairan.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error response.
 *
 * @param code      stable code from {@link jp.kairan.protocol.ErrorCode}
 * @param message   English message
 * @param messageJa Japanese message
 * @param retryable whether retrying the same request may succeed
 * @param requestId the request's id, for support
 * @param field     the offending field for {@code invalid_field}, else absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String code, String message, String messageJa, boolean retryable, String requestId,
                       String field) {
}
