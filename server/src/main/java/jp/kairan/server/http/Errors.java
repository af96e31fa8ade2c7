package jp.kairan.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.ApiError;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.store.DatabaseUnavailableException;
import jp.kairan.server.store.ServerBusyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP error bodies. Known failures map to their code; anything else
 * becomes {@code internal_error}, logged once with the request id, and never reaches the client as a trace.
 */
final class Errors {
    private static final Logger log = LoggerFactory.getLogger(Errors.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Errors() {
    }

    /** A fresh request id: 16 hex characters. */
    static String newRequestId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static ApiError body(ErrorCode code, String requestId, String field) {
        return new ApiError(code.code(), code.message(), code.messageJa(), code.retryable(), requestId, field);
    }

    /** Translates {@code error} (unwrapping completion wrappers) for the request {@code requestId}. */
    static ApiError toBody(Throwable error, String requestId) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof KairanException k) {
            log.debug("request {} failed: {} ({})", requestId, k.code().code(), k.getMessage());
            ApiError body = body(k.code(), requestId, k.field());
            return k.findings() == null && k.detail() == null ? body : new ApiError(body.code(), body.message(), body.messageJa(), body.retryable(),
                    requestId, body.field(), k.detail(), k.findings());
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = m.getPath().get(0).getFieldName();
            return body(field == null ? ErrorCode.INVALID_JSON : ErrorCode.INVALID_FIELD, requestId, field);
        }
        if (e instanceof JsonProcessingException) {
            return body(ErrorCode.INVALID_JSON, requestId, null);
        }
        if (e instanceof ServerBusyException) {
            log.warn("request {} rejected: {}", requestId, e.getMessage());
            return body(ErrorCode.SERVER_BUSY, requestId, null);
        }
        if (e instanceof DatabaseUnavailableException) {
            // The outage is logged once by the database, not per request.
            log.debug("request {} refused: {}", requestId, e.getMessage());
            return body(ErrorCode.DATABASE_UNAVAILABLE, requestId, null);
        }
        log.error("request {} failed with an internal error", requestId, e);
        return body(ErrorCode.INTERNAL_ERROR, requestId, null);
    }

    /** The HTTP status of a body produced here. */
    static int status(ApiError body) {
        return ErrorCode.fromCode(body.code()).map(ErrorCode::httpStatus).orElse(500);
    }
}
