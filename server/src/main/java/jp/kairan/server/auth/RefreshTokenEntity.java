package jp.kairan.server.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "refresh_tokens")
class RefreshTokenEntity {
    @Id
    long id;
    @Column(name = "family_id")
    long familyId;
    @Column(name = "user_id")
    long userId;
    @Column(name = "token_hash")
    String tokenHash;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "expires_at")
    Instant expiresAt;
    @Column(name = "used_at")
    Instant usedAt;
    @Column(name = "revoked_at")
    Instant revokedAt;
    @Column(name = "device_id")
    Long deviceId;
    /** The successor, sealed under a key only the cleartext of this token gives; set when it is spent. */
    @Column(name = "successor_sealed")
    String successorSealed;
}
