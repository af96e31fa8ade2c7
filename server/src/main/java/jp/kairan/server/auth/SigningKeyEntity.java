package jp.kairan.server.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "signing_keys")
class SigningKeyEntity {
    @Id
    String kid;
    String algorithm;
    @Column(name = "private_jwk")
    String privateJwk;
    @Column(name = "public_jwk")
    String publicJwk;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "retired_at")
    Instant retiredAt;
}
