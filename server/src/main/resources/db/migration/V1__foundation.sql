-- Kairan schema v1: organizations, departments, users and roles, sign-in state, signing keys, audit events.
-- Written once for MariaDB 10.6+ and for H2 in MariaDB mode. Times are UTC, DATETIME(6).
-- ${table_options} adds ENGINE=InnoDB and utf8mb4 on MariaDB (see store/Migrations.java).

CREATE TABLE organizations (
    id              BIGINT       NOT NULL,
    name            VARCHAR(200) NOT NULL,
    lg_code         CHAR(6)      NULL,
    allowed_factors VARCHAR(64)  NOT NULL,
    created_at      DATETIME(6)  NOT NULL,
    version         BIGINT       NOT NULL,
    PRIMARY KEY (id)
) ${table_options};

CREATE TABLE departments (
    id         BIGINT       NOT NULL,
    org_id     BIGINT       NOT NULL,
    parent_id  BIGINT       NULL,
    name       VARCHAR(200) NOT NULL,
    created_at DATETIME(6)  NOT NULL,
    version    BIGINT       NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_departments_org FOREIGN KEY (org_id) REFERENCES organizations (id),
    CONSTRAINT fk_departments_parent FOREIGN KEY (parent_id) REFERENCES departments (id)
) ${table_options};
CREATE INDEX ix_departments_org ON departments (org_id);

CREATE TABLE users (
    id                   BIGINT        NOT NULL,
    org_id               BIGINT        NULL,
    login_id             VARCHAR(64)   NOT NULL,
    display_name         VARCHAR(200)  NOT NULL,
    department_id        BIGINT        NULL,
    email                VARCHAR(254)  NULL,
    status               VARCHAR(16)   NOT NULL,
    created_at           DATETIME(6)   NOT NULL,
    version              BIGINT        NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_users_login UNIQUE (login_id),
    CONSTRAINT fk_users_org FOREIGN KEY (org_id) REFERENCES organizations (id),
    CONSTRAINT fk_users_department FOREIGN KEY (department_id) REFERENCES departments (id)
) ${table_options};
CREATE INDEX ix_users_org ON users (org_id);

-- Sign-in secrets of a user, owned by the auth feature. Kept apart from the profile in users.
CREATE TABLE credentials (
    user_id              BIGINT        NOT NULL,
    password_hash        VARCHAR(255)  NOT NULL,
    must_change_password BOOLEAN       NOT NULL,
    totp_secret          VARBINARY(64) NULL,
    totp_last_step       BIGINT        NOT NULL,
    failed_attempts      INT           NOT NULL,
    locked_until         DATETIME(6)   NULL,
    last_login_at        DATETIME(6)   NULL,
    updated_at           DATETIME(6)   NOT NULL,
    version              BIGINT        NOT NULL,
    PRIMARY KEY (user_id),
    CONSTRAINT fk_credentials_user FOREIGN KEY (user_id) REFERENCES users (id)
) ${table_options};

CREATE TABLE user_roles (
    user_id BIGINT      NOT NULL,
    role    VARCHAR(16) NOT NULL,
    PRIMARY KEY (user_id, role),
    CONSTRAINT fk_user_roles_user FOREIGN KEY (user_id) REFERENCES users (id)
) ${table_options};

-- A sign-in in progress: the ticket is handed to the browser, only its SHA-256 is stored.
CREATE TABLE login_tickets (
    id                BIGINT      NOT NULL,
    ticket_hash       CHAR(64)    NOT NULL,
    user_id           BIGINT      NOT NULL,
    otp_done          BOOLEAN     NOT NULL,
    attempts          INT         NOT NULL,
    email_code_hash   CHAR(64)    NULL,
    email_code_expires DATETIME(6) NULL,
    email_sent_at     DATETIME(6) NULL,
    pending_totp      VARBINARY(64) NULL,
    created_at        DATETIME(6) NOT NULL,
    expires_at        DATETIME(6) NOT NULL,
    version           BIGINT      NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_login_tickets_hash UNIQUE (ticket_hash),
    CONSTRAINT fk_login_tickets_user FOREIGN KEY (user_id) REFERENCES users (id)
) ${table_options};
CREATE INDEX ix_login_tickets_expires ON login_tickets (expires_at);

-- Refresh tokens rotate on every use; all tokens of one sign-in share a family. Only hashes are stored.
CREATE TABLE refresh_tokens (
    id          BIGINT      NOT NULL,
    family_id   BIGINT      NOT NULL,
    user_id     BIGINT      NOT NULL,
    token_hash  CHAR(64)    NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    expires_at  DATETIME(6) NOT NULL,
    used_at     DATETIME(6) NULL,
    revoked_at  DATETIME(6) NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_refresh_tokens_hash UNIQUE (token_hash),
    CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
) ${table_options};
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX ix_refresh_tokens_expires ON refresh_tokens (expires_at);

-- Token signing keys (ES256). The newest unretired key signs; retired keys verify until their tokens expire.
CREATE TABLE signing_keys (
    kid         VARCHAR(64)   NOT NULL,
    algorithm   VARCHAR(16)   NOT NULL,
    private_jwk VARCHAR(4000) NOT NULL,
    public_jwk  VARCHAR(4000) NOT NULL,
    created_at  DATETIME(6)   NOT NULL,
    retired_at  DATETIME(6)   NULL,
    PRIMARY KEY (kid)
) ${table_options};

-- Security-relevant actions. Append-only; the hash chain comes with the audit issue.
CREATE TABLE audit_events (
    id          BIGINT        NOT NULL,
    org_id      BIGINT        NULL,
    occurred_at DATETIME(6)   NOT NULL,
    actor_id    BIGINT        NULL,
    actor_login VARCHAR(64)   NULL,
    action      VARCHAR(64)   NOT NULL,
    target_type VARCHAR(32)   NULL,
    target_id   VARCHAR(64)   NULL,
    ip          VARCHAR(45)   NULL,
    request_id  VARCHAR(40)   NULL,
    detail      VARCHAR(2000) NULL,
    PRIMARY KEY (id)
) ${table_options};
CREATE INDEX ix_audit_events_org_time ON audit_events (org_id, occurred_at);
