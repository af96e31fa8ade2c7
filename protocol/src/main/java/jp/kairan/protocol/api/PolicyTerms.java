package jp.kairan.protocol.api;

import java.util.List;
import java.util.Map;

/**
 * An organization's dictionaries: its own terms (what {@code PUT} replaces) and, read-only, the built-in ones.
 *
 * @param terms      the org's own terms
 * @param categories the categories, in display order
 * @param builtIn    the built-in words by category, then by kind ({@code cue}, {@code guard})
 */
public record PolicyTerms(List<PolicyTerm> terms, List<String> categories, Map<String, Map<String, List<String>>> builtIn) {
}
