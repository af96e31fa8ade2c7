package jp.kairan.server.policy;

/**
 * Something a detector found in a message. Never holds the matched text itself: only where it is and a masked
 * excerpt that can be shown to the sender and written to logs.
 *
 * @param detector   stable detector id, e.g. {@code my_number}
 * @param importance the class of what was found
 * @param verdict    what the finding calls for when its class is above the room's ceiling: {@link Verdict#BLOCK}
 *                   when certain, {@link Verdict#WARN} when the sender should confirm
 * @param start      index of the first character in the original text
 * @param end        index just after the last character
 * @param excerpt    the offending part masked, e.g. {@code ****-****-9018}
 */
public record Finding(String detector, ImportanceClass importance, Verdict verdict, int start, int end, String excerpt) {
    /** A class-I finding. */
    static Finding classI(String detector, Verdict verdict, int start, int end, String excerpt) {
        return new Finding(detector, ImportanceClass.I, verdict, start, end, excerpt);
    }

    /** Whether the finding is certain, not a guess the sender confirms. */
    public boolean certain() {
        return verdict == Verdict.BLOCK;
    }
}
