package jp.kairan.server.auth;

import java.time.Instant;
import java.util.Optional;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.Tx;

/**
 * The {@code login_tickets} rows (Hibernate; a row's {@code version} guards against two requests on one ticket).
 * Each change reads the row through the transaction's session, so it hits the entity loaded by {@link #find}, and
 * returns the ticket as it now stands. Stateless.
 */
final class LoginTicketRepository {

    /** Inserts a new ticket for {@code userId}. */
    LoginTicket insert(Tx tx, String ticketHash, long userId, Instant createdAt, Instant expiresAt) {
        LoginTicketEntity e = new LoginTicketEntity();
        e.id = Ids.next();
        e.ticketHash = ticketHash;
        e.userId = userId;
        e.createdAt = createdAt;
        e.expiresAt = expiresAt;
        tx.session().persist(e);
        return snapshot(e);
    }

    Optional<LoginTicket> find(Tx tx, String ticketHash) {
        return tx.session().createSelectionQuery("from LoginTicketEntity t where t.ticketHash = :h", LoginTicketEntity.class)
                .setParameter("h", ticketHash).uniqueResultOptional().map(LoginTicketRepository::snapshot);
    }

    /** The second factor was given: the mailed code is spent. */
    LoginTicket markOtpDone(Tx tx, long id) {
        LoginTicketEntity e = entity(tx, id);
        e.otpDone = true;
        e.emailCodeHash = null;
        return snapshot(e);
    }

    /** Counts a wrong code; returns the attempts so far. */
    int countAttempt(Tx tx, long id) {
        LoginTicketEntity e = entity(tx, id);
        e.attempts++;
        return e.attempts;
    }

    void mailedCode(Tx tx, long id, String codeHash, Instant expires, Instant sentAt) {
        LoginTicketEntity e = entity(tx, id);
        e.emailCodeHash = codeHash;
        e.emailCodeExpires = expires;
        e.emailSentAt = sentAt;
    }

    void setPendingTotp(Tx tx, long id, byte[] secret) {
        entity(tx, id).pendingTotp = secret;
    }

    /** The authenticator was enrolled: the second factor counts as given. */
    LoginTicket totpEnrolled(Tx tx, long id) {
        LoginTicketEntity e = entity(tx, id);
        e.pendingTotp = null;
        e.otpDone = true;
        return snapshot(e);
    }

    /** The sign-in now waits for {@code deviceId} to be approved, until {@code expiresAt}. */
    LoginTicket startWaiting(Tx tx, long id, long deviceId, Instant expiresAt) {
        LoginTicketEntity e = entity(tx, id);
        e.deviceId = deviceId;
        e.expiresAt = expiresAt;
        return snapshot(e);
    }

    void delete(Tx tx, long id) {
        tx.session().remove(entity(tx, id));
    }

    private static LoginTicketEntity entity(Tx tx, long id) {
        LoginTicketEntity e = tx.session().find(LoginTicketEntity.class, id);
        if (e == null) {
            throw new IllegalStateException("login ticket " + id + " is gone");
        }
        return e;
    }

    private static LoginTicket snapshot(LoginTicketEntity e) {
        return new LoginTicket(e.id, e.ticketHash, e.userId, e.otpDone, e.attempts, e.emailCodeHash, e.emailCodeExpires,
                e.emailSentAt, e.pendingTotp, e.expiresAt, e.deviceId);
    }
}
