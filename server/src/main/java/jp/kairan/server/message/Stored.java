package jp.kairan.server.message;

import jp.kairan.protocol.MessageView;

/**
 * A send's outcome: the message as stored (or as stored earlier, for a duplicate).
 *
 * @param message   the message
 * @param duplicate true when the idempotency key had been used and nothing new was stored
 */
public record Stored(MessageView message, boolean duplicate) implements Outcome {
}
