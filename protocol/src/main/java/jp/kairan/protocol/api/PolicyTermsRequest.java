package jp.kairan.protocol.api;

import java.util.List;

/** Replaces an organization's own terms (at most 2,000). */
public record PolicyTermsRequest(List<PolicyTerm> terms) {
}
