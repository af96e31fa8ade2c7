-- Kairan schema v4: importance classes (POLICY.md). Room ceilings and the org default, emergency mode, the org's
-- own dictionary terms, and the server key that hashes blocked texts for the audit trail.

-- The org default ceiling (I..IV), the longest emergency, and whether one owner may start an emergency alone.
ALTER TABLE organizations ADD COLUMN default_ceiling VARCHAR(3) NOT NULL DEFAULT 'II';
ALTER TABLE organizations ADD COLUMN emergency_max_hours INT NOT NULL DEFAULT 72;
ALTER TABLE organizations ADD COLUMN emergency_single_approver BOOLEAN NOT NULL DEFAULT FALSE;

-- A room's own ceiling; null follows the org default.
ALTER TABLE rooms ADD COLUMN ceiling VARCHAR(3) NULL;

CREATE TABLE room_emergencies (
    id             BIGINT        NOT NULL,
    room_id        BIGINT        NOT NULL,
    org_id         BIGINT        NOT NULL,
    -- pending, active, ended
    state          VARCHAR(8)    NOT NULL,
    reason         VARCHAR(500)  NOT NULL,
    hours          INT           NOT NULL,
    requested_by   BIGINT        NOT NULL,
    requested_at   DATETIME(6)   NOT NULL,
    approved_by    BIGINT        NULL,
    approved_at    DATETIME(6)   NULL,
    ends_at        DATETIME(6)   NULL,
    ended_at       DATETIME(6)   NULL,
    ended_by       BIGINT        NULL,
    -- ended, withdrawn, expired
    end_kind       VARCHAR(10)   NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_room_emergencies_room FOREIGN KEY (room_id) REFERENCES rooms (id),
    CONSTRAINT fk_room_emergencies_org FOREIGN KEY (org_id) REFERENCES organizations (id)
) ${table_options};
CREATE INDEX ix_room_emergencies_room_state ON room_emergencies (room_id, state);
CREATE INDEX ix_room_emergencies_state_ends ON room_emergencies (state, ends_at);

CREATE TABLE policy_terms (
    id          BIGINT       NOT NULL,
    org_id      BIGINT       NOT NULL,
    category    VARCHAR(24)  NOT NULL,
    kind        VARCHAR(8)   NOT NULL,
    term        VARCHAR(40)  NOT NULL,
    created_by  BIGINT       NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_policy_terms_org FOREIGN KEY (org_id) REFERENCES organizations (id)
) ${table_options};
CREATE INDEX ix_policy_terms_org ON policy_terms (org_id);

-- Server-wide secrets that are not signing keys: the HMAC key for text hashes in the audit trail.
CREATE TABLE server_secrets (
    name        VARCHAR(40)    NOT NULL,
    secret      VARBINARY(64)  NOT NULL,
    created_at  DATETIME(6)    NOT NULL,
    PRIMARY KEY (name)
) ${table_options};
