package jp.kairan.server.search;

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

    /** Tells the indexer that rows were committed; call after the commit. Never blocks. */
    public void wake() {
        listener.run();
    }

    void onRecorded(Runnable listener) {
        this.listener = listener;
    }
}
