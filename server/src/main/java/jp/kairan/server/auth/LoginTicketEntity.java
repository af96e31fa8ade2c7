package jp.kairan.server.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

@Entity
@Table(name = "login_tickets")
class LoginTicketEntity {
    @Id
    long id;
    @Column(name = "ticket_hash")
    String ticketHash;
    @Column(name = "user_id")
    long userId;
    @Column(name = "otp_done")
    boolean otpDone;
    int attempts;
    @Column(name = "email_code_hash")
    String emailCodeHash;
    @Column(name = "email_code_expires")
    Instant emailCodeExpires;
    @Column(name = "email_sent_at")
    Instant emailSentAt;
    @Column(name = "pending_totp")
    byte[] pendingTotp;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "expires_at")
    Instant expiresAt;
    /** The device waiting for approval, once registered in this sign-in. */
    @Column(name = "device_id")
    Long deviceId;
    @Version
    long version;
}
