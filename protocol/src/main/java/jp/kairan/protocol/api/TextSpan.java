package jp.kairan.protocol.api;

/**
 * A run of a text, in UTF-16 units: {@code [start, end)}.
 *
 * @param start first unit
 * @param end   one past the last unit
 */
public record TextSpan(int start, int end) {
}
