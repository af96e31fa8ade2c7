package jp.kairan.protocol.api;

/**
 * One word of a topic dictionary.
 *
 * @param category {@code welfare}, {@code tax}, {@code arrears}, {@code abuse}, {@code resident_registry},
 *                 {@code case_record}, {@code internal} or {@code general} (guards only)
 * @param kind     {@code cue} or {@code guard}
 * @param term     the word, 1..40 characters
 */
public record PolicyTerm(String category, String kind, String term) {
}
