package jp.kairan.server.policy;

/**
 * Something a detector found in a message. Never holds the matched text itself: only where it is and a masked
 * excerpt that can be shown to the sender and written to logs.
 *
 * @param detector stable detector id, e.g. {@code my_number}
 * @param verdict  what this finding alone calls for
 * @param start    index of the first character in the original text
 * @param end      index just after the last character
 * @param excerpt  the offending part masked, e.g. {@code ****-****-9018}
 */
public record Finding(String detector, Verdict verdict, int start, int end, String excerpt) {
}
