package jp.kairan.server.org;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

@Entity
@Table(name = "organizations")
class OrganizationEntity {
    @Id
    long id;
    String name;
    @Column(name = "lg_code")
    String lgCode;
    @Column(name = "allowed_factors")
    String allowedFactors;
    @Column(name = "max_devices_per_user")
    int maxDevicesPerUser;
    @Column(name = "default_ceiling")
    String defaultCeiling = "II";
    @Column(name = "emergency_max_hours")
    int emergencyMaxHours = 72;
    @Column(name = "emergency_single_approver")
    boolean emergencySingleApprover;
    @Column(name = "created_at")
    Instant createdAt;
    @Version
    long version;
}
