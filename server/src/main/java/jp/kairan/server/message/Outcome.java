package jp.kairan.server.message;

/**
 * What a group commit did with one send: stored it (or found it stored earlier), refused it, or, for a second copy
 * of a key within one batch, left it to be settled by the first copy's outcome.
 */
sealed interface Outcome permits Stored, Outcome.Refused, Outcome.SameAs {

    /**
     * The send fails with {@code reason} (a quoted message not in the room, a key used for another message, or the
     * send's own transaction failing when retried alone).
     */
    record Refused(RuntimeException reason) implements Outcome {
    }

    /** The send repeats the key of {@code first}, earlier in the same batch; it gets first's outcome. */
    record SameAs(PendingSend first) implements Outcome {
    }
}
