package jp.kairan.protocol.api;

/** A draft to check: {@code {"text": "…"}}. */
public record TextRequest(String text) {
}
