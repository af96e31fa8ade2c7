package jp.kairan.protocol.api;

/** The new organization, its owner and the owner's initial password (shown once). */
public record CreateOrgResponse(Org org, User owner, String initialPassword) {
}
