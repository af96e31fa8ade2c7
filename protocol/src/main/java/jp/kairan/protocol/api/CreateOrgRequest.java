package jp.kairan.protocol.api;

/** {@code POST /api/v1/orgs}: an organization and its first owner. */
public record CreateOrgRequest(String name, String lgCode, NewOwner owner) {
    /** The first owner of a new organization. */
    public record NewOwner(String loginId, String displayName, String email) {
    }
}
