-- Kairan schema v2: talk rooms, members with read positions, messages with per-room sequence numbers,
-- earlier versions of edited or deleted messages (kept for audit, never shown), mentions, reactions and
-- read receipts (who read up to where, and when).

CREATE TABLE rooms (
    id              BIGINT       NOT NULL,
    org_id          BIGINT       NOT NULL,
    kind            VARCHAR(8)   NOT NULL,
    name            VARCHAR(200) NULL,
    -- "smaller user id:larger user id" for direct talks, so each pair has at most one; null for groups.
    direct_key      VARCHAR(40)  NULL,
    created_by      BIGINT       NOT NULL,
    created_at      DATETIME(6)  NOT NULL,
    archived_at     DATETIME(6)  NULL,
    -- The seq of the newest message. Raised under this row's lock when messages are stored.
    last_seq        BIGINT       NOT NULL,
    last_message_at DATETIME(6)  NULL,
    version         BIGINT       NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_rooms_direct UNIQUE (direct_key),
    CONSTRAINT fk_rooms_org FOREIGN KEY (org_id) REFERENCES organizations (id)
) ${table_options};
CREATE INDEX ix_rooms_org ON rooms (org_id);

CREATE TABLE room_members (
    room_id   BIGINT      NOT NULL,
    user_id   BIGINT      NOT NULL,
    role      VARCHAR(8)  NOT NULL,
    joined_at DATETIME(6) NOT NULL,
    read_seq  BIGINT      NOT NULL,
    read_at   DATETIME(6) NULL,
    PRIMARY KEY (room_id, user_id),
    CONSTRAINT fk_room_members_room FOREIGN KEY (room_id) REFERENCES rooms (id),
    CONSTRAINT fk_room_members_user FOREIGN KEY (user_id) REFERENCES users (id)
) ${table_options};
CREATE INDEX ix_room_members_user ON room_members (user_id);

CREATE TABLE messages (
    id          BIGINT         NOT NULL,
    room_id     BIGINT         NOT NULL,
    seq         BIGINT         NOT NULL,
    sender_id   BIGINT         NOT NULL,
    -- The sender's idempotency key (the request id of message.send).
    client_key  VARCHAR(64)    NOT NULL,
    -- Null once deleted; the text then lives on in message_versions until retention ends.
    body        VARCHAR(10000) NULL,
    sent_at     DATETIME(6)    NOT NULL,
    edited_at   DATETIME(6)    NULL,
    deleted_at  DATETIME(6)    NULL,
    reply_to_id BIGINT         NULL,
    -- Explicitly mentioned user ids, comma-separated (at most 100).
    mentions    VARCHAR(2100)  NULL,
    mention_all BOOLEAN        NOT NULL,
    version     INT            NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_messages_seq UNIQUE (room_id, seq),
    CONSTRAINT uq_messages_key UNIQUE (client_key, sender_id),
    CONSTRAINT fk_messages_room FOREIGN KEY (room_id) REFERENCES rooms (id)
) ${table_options};

CREATE TABLE message_versions (
    message_id  BIGINT         NOT NULL,
    version     INT            NOT NULL,
    body        VARCHAR(10000) NOT NULL,
    replaced_at DATETIME(6)    NOT NULL,
    -- edit or delete
    reason      VARCHAR(8)     NOT NULL,
    PRIMARY KEY (message_id, version),
    CONSTRAINT fk_message_versions_message FOREIGN KEY (message_id) REFERENCES messages (id)
) ${table_options};

-- One row per mentioned member (an @all mention is expanded to the members at the time), for unread
-- mention counts.
CREATE TABLE message_mentions (
    user_id    BIGINT NOT NULL,
    room_id    BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, room_id, seq)
) ${table_options};

CREATE TABLE message_reactions (
    message_id BIGINT      NOT NULL,
    user_id    BIGINT      NOT NULL,
    emoji      VARCHAR(32) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (message_id, user_id, emoji),
    CONSTRAINT fk_message_reactions_message FOREIGN KEY (message_id) REFERENCES messages (id)
) ${table_options};

-- Each forward move of a member's read position: who read a message, and when, is the earliest row at or
-- beyond its seq.
CREATE TABLE read_receipts (
    room_id   BIGINT      NOT NULL,
    user_id   BIGINT      NOT NULL,
    up_to_seq BIGINT      NOT NULL,
    read_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (room_id, user_id, up_to_seq)
) ${table_options};
