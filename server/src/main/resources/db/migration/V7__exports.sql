-- Kairan schema v7: exports for auditors. The archive itself is a file in the data directory; this row is its
-- record: who asked for what, its state, its size and digest, and when it expires.

CREATE TABLE exports (
    id             BIGINT        NOT NULL,
    org_id         BIGINT        NOT NULL,
    requested_by   BIGINT        NOT NULL,
    -- room, user, org
    scope          VARCHAR(8)    NOT NULL,
    target_id      BIGINT        NULL,
    from_at        DATETIME(6)   NOT NULL,
    to_at          DATETIME(6)   NOT NULL,
    -- queued, running, done, failed, expired
    state          VARCHAR(8)    NOT NULL,
    message_count  BIGINT        NOT NULL,
    size_bytes     BIGINT        NOT NULL,
    sha256         CHAR(64)      NULL,
    created_at     DATETIME(6)   NOT NULL,
    finished_at    DATETIME(6)   NULL,
    expires_at     DATETIME(6)   NULL,
    error          VARCHAR(200)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_exports_org FOREIGN KEY (org_id) REFERENCES organizations (id)
) ${table_options};
CREATE INDEX ix_exports_org ON exports (org_id, created_at);
CREATE INDEX ix_exports_state ON exports (state, expires_at);
