-- Kairan schema v5: the audit log as a hash chain per organization (chain_key = org id, 0 for server-wide
-- events). Each event carries its place in the chain and the hash of the one before; the head row of each chain
-- is locked while an event is appended, so the chain has no forks; signed checkpoints of the head let a
-- verifier tell a truncated or rewritten chain from an intact one.

ALTER TABLE audit_events ADD COLUMN chain_key BIGINT NULL;
ALTER TABLE audit_events ADD COLUMN chain_seq BIGINT NULL;
ALTER TABLE audit_events ADD COLUMN prev_hash CHAR(64) NULL;
ALTER TABLE audit_events ADD COLUMN hash CHAR(64) NULL;
CREATE UNIQUE INDEX ux_audit_events_chain ON audit_events (chain_key, chain_seq);

CREATE TABLE audit_chain_heads (
    chain_key   BIGINT       NOT NULL,
    chain_seq   BIGINT       NOT NULL,
    hash        CHAR(64)     NOT NULL,
    updated_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (chain_key)
) ${table_options};

-- One head per existing organization, and the server-wide chain; heads of new organizations are created with
-- the organization's first event.
INSERT INTO audit_chain_heads (chain_key, chain_seq, hash, updated_at)
    SELECT id, 0, '0000000000000000000000000000000000000000000000000000000000000000', created_at FROM organizations;
INSERT INTO audit_chain_heads (chain_key, chain_seq, hash, updated_at)
    VALUES (0, 0, '0000000000000000000000000000000000000000000000000000000000000000', CURRENT_TIMESTAMP);

CREATE TABLE audit_checkpoints (
    id          BIGINT         NOT NULL,
    chain_key   BIGINT         NOT NULL,
    chain_seq   BIGINT         NOT NULL,
    hash        CHAR(64)       NOT NULL,
    jws         VARCHAR(2000)  NOT NULL,
    signed_at   DATETIME(6)    NOT NULL,
    PRIMARY KEY (id)
) ${table_options};
CREATE INDEX ix_audit_checkpoints_chain ON audit_checkpoints (chain_key, chain_seq);
