-- Kairan schema v6: retention (per organization, per-room overrides) and legal holds. A scheduled job deletes
-- messages older than their room's period, with their edit history, mentions, reactions and read receipts;
-- nothing under a hold is purged.

-- Days a message is kept; null keeps messages for ever (the default until an owner sets a period).
ALTER TABLE organizations ADD COLUMN retention_days INT NULL;
ALTER TABLE rooms ADD COLUMN retention_days INT NULL;

CREATE TABLE legal_holds (
    id              BIGINT        NOT NULL,
    org_id          BIGINT        NOT NULL,
    -- org, room, user
    scope           VARCHAR(8)    NOT NULL,
    target_id       BIGINT        NULL,
    reason          VARCHAR(500)  NOT NULL,
    created_by      BIGINT        NOT NULL,
    created_at      DATETIME(6)   NOT NULL,
    released_at     DATETIME(6)   NULL,
    released_by     BIGINT        NULL,
    release_reason  VARCHAR(500)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_legal_holds_org FOREIGN KEY (org_id) REFERENCES organizations (id)
) ${table_options};
CREATE INDEX ix_legal_holds_org ON legal_holds (org_id, released_at);

CREATE INDEX ix_messages_room_sent ON messages (room_id, sent_at);
