package jp.kairan.server.search;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import jp.kairan.server.store.Tx;

/**
 * The search index's transactional outbox: whoever changes a message's searchable state (send, edit, delete,
 * purge) records its id here <em>in the same transaction</em>, and wakes the indexer after the commit. The indexer
 * then applies the message's current row, so the index never misses a committed change, even across a crash.
 * Thread-safe.
 */
public final class SearchOutbox {
    private final boolean enabled;
    private final SearchRepository repository = new SearchRepository();
    private volatile Runnable listener = () -> { };

    /** @param enabled false when search is off: nothing is recorded */
    public SearchOutbox(boolean enabled) {
        this.enabled = enabled;
    }

    /** Records that these messages changed; joins the caller's transaction. */
    public void record(Tx tx, Collection<Long> messageIds, Instant at) {
        if (enabled && !messageIds.isEmpty()) {
            repository.recordChanged(tx, messageIds, at);
        }
    }

    /**
     * As {@link #record(Tx, Collection, Instant)}, on a connection the caller's transaction already uses. Kept for
     * callers that still work on a raw connection (retention's purge); prefer the {@code Tx} form.
     */
    public void record(Connection c, Collection<Long> messageIds, Instant at) throws SQLException {
        if (!enabled || messageIds.isEmpty()) {
            return;
        }
        SearchRepository.recordChanged(c, messageIds, at);
    }

    /** Tells the indexer that rows were committed; call after the commit. Never blocks. */
    public void wake() {
        listener.run();
    }

    void onRecorded(Runnable listener) {
        this.listener = listener;
    }
}
