package jp.kairan.server.store;

import org.hibernate.Session;

/**
 * The current unit of work. Passed explicitly as the first argument of repository methods; only
 * repositories unwrap it. Never stored, never shared across threads.
 */
public final class Tx {
    private final Session session;

    Tx(Session session) {
        this.session = session;
    }

    /** The Hibernate session of this transaction; for repositories only. */
    public Session session() {
        return session;
    }
}
