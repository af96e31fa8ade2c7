package jp.kairan.server.org;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

@Entity
@Table(name = "departments")
class DepartmentEntity {
    @Id
    long id;
    @Column(name = "org_id")
    long orgId;
    @Column(name = "parent_id")
    Long parentId;
    String name;
    @Column(name = "created_at")
    Instant createdAt;
    @Version
    long version;
}
