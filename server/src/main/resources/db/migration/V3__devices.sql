-- Kairan schema v3: registered devices (a browser's key pair), and tokens bound to them.
-- A device is identified by the RFC 7638 thumbprint of its public key; a thumbprint is registered once, ever,
-- so a revoked or rejected key can never come back.

CREATE TABLE devices (
    id                BIGINT        NOT NULL,
    org_id            BIGINT        NULL,
    user_id           BIGINT        NOT NULL,
    name              VARCHAR(64)   NOT NULL,
    jkt               CHAR(43)      NOT NULL,
    public_jwk        VARCHAR(400)  NOT NULL,
    -- pending, approved, rejected, revoked
    status            VARCHAR(16)   NOT NULL,
    user_agent        VARCHAR(400)  NULL,
    first_ip          VARCHAR(45)   NULL,
    last_ip           VARCHAR(45)   NULL,
    last_seen_at      DATETIME(6)   NULL,
    created_at        DATETIME(6)   NOT NULL,
    decided_at        DATETIME(6)   NULL,
    decided_by        BIGINT        NULL,
    decision_reason   VARCHAR(500)  NULL,
    revoked_at        DATETIME(6)   NULL,
    revoked_by        BIGINT        NULL,
    revoke_reason     VARCHAR(500)  NULL,
    wipe_confirmed_at DATETIME(6)   NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_devices_jkt UNIQUE (jkt),
    CONSTRAINT fk_devices_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_devices_org FOREIGN KEY (org_id) REFERENCES organizations (id)
) ${table_options};
CREATE INDEX ix_devices_user ON devices (user_id);
CREATE INDEX ix_devices_org_status ON devices (org_id, status);

-- Refresh families and sign-in tickets belong to the device they were made for.
ALTER TABLE refresh_tokens ADD COLUMN device_id BIGINT NULL;
CREATE INDEX ix_refresh_tokens_device ON refresh_tokens (device_id);
ALTER TABLE login_tickets ADD COLUMN device_id BIGINT NULL;

-- How many pending or approved devices one user may have.
ALTER TABLE organizations ADD COLUMN max_devices_per_user INT NOT NULL DEFAULT 5;
