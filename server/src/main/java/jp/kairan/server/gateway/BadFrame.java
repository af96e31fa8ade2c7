package jp.kairan.server.gateway;

import jp.kairan.protocol.ErrorCode;

/**
 * A frame the codec could not turn into a request, passed on so that the session decides what to do (an
 * error reply, or closing a connection that has not authenticated).
 *
 * @param re     the frame's id when it could be read, else null
 * @param code   {@code invalid_message} or {@code unsupported_type}
 * @param detail what was wrong
 */
record BadFrame(String re, ErrorCode code, String detail) {
}
