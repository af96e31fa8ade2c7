-- Kairan schema v8: the search index's transactional outbox. A row is written in the same transaction as every
-- change to a message's searchable state (send, edit, delete, retention purge); the indexer applies the message's
-- current row to the Lucene index, commits the index, then deletes the rows it applied. A crash in between leaves
-- the rows, which are applied again on start (applying is idempotent).

CREATE TABLE search_outbox (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    message_id  BIGINT       NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (id)
) ${table_options};
