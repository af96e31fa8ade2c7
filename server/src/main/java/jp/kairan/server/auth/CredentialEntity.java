package jp.kairan.server.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

@Entity
@Table(name = "credentials")
class CredentialEntity {
    @Id
    @Column(name = "user_id")
    long userId;
    @Column(name = "password_hash")
    String passwordHash;
    @Column(name = "must_change_password")
    boolean mustChangePassword;
    @Column(name = "totp_secret")
    byte[] totpSecret;
    @Column(name = "totp_last_step")
    long totpLastStep;
    @Column(name = "failed_attempts")
    int failedAttempts;
    @Column(name = "locked_until")
    Instant lockedUntil;
    @Column(name = "last_login_at")
    Instant lastLoginAt;
    @Column(name = "updated_at")
    Instant updatedAt;
    @Version
    long version;
}
