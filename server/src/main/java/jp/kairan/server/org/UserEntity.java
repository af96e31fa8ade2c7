package jp.kairan.server.org;

import jp.kairan.server.access.Role;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

@Entity
@Table(name = "users")
class UserEntity {
    @Id
    long id;
    @Column(name = "org_id")
    Long orgId;
    @Column(name = "login_id")
    String loginId;
    @Column(name = "display_name")
    String displayName;
    @Column(name = "department_id")
    Long departmentId;
    String email;
    String status;
    @Column(name = "created_at")
    Instant createdAt;
    @Version
    long version;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "user_roles", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "role")
    @Enumerated(EnumType.STRING)
    Set<Role> roles = new HashSet<>();

    UserProfile toProfile() {
        return new UserProfile(id, orgId, loginId, displayName, departmentId, email, UserStatus.valueOf(status),
                roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles), createdAt);
    }
}
