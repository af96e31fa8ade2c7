package jp.kairan.server.auth;

import java.util.List;
import jp.kairan.protocol.api.Me;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.access.Role;
import jp.kairan.server.org.UserProfile;
import jp.kairan.server.store.Tx;

/** Builds the {@link Me} view of a signed-in user. */
final class MeViews {
    private MeViews() {
    }

    static Me me(Tx tx, OrgService orgs, Credentials credentials, UserProfile u) {
        boolean totp = credentials.status(tx, List.of(u.id())).get(u.id()).totpEnrolled();
        return new Me(Long.toString(u.id()), u.loginId(), u.displayName(),
                u.orgId() == null ? null : Long.toString(u.orgId()), orgs.orgName(tx, u.orgId()).orElse(null),
                u.departmentId() == null ? null : Long.toString(u.departmentId()), u.email(),
                u.roles().stream().sorted().map(Role::wireName).toList(), totp);
    }
}
