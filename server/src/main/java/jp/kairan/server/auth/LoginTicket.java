package jp.kairan.server.auth;

import java.time.Instant;

/**
 * A sign-in in progress as its row stands: who, how far, and the state of its mailed code, its TOTP enrolment and
 * its device. Read and written by {@link LoginTicketRepository}; only the ticket's hash is stored.
 *
 * @param id               row id
 * @param ticketHash       SHA-256 of the ticket the client holds
 * @param userId           who is signing in
 * @param otpDone          whether the second factor was given (or enrolled)
 * @param attempts         wrong codes given on this ticket
 * @param emailCodeHash    hash of the mailed code, or null
 * @param emailCodeExpires when the mailed code expires, or null
 * @param emailSentAt      when a code was last mailed, or null
 * @param pendingTotp      the authenticator secret being enrolled, or null
 * @param expiresAt        when the ticket expires
 * @param deviceId         the device waiting for approval, once one is in this sign-in
 */
record LoginTicket(long id, String ticketHash, long userId, boolean otpDone, int attempts, String emailCodeHash,
                   Instant emailCodeExpires, Instant emailSentAt, byte[] pendingTotp, Instant expiresAt, Long deviceId) {
    @Override
    public String toString() {
        return "LoginTicket[id=" + id + ", user=" + userId + ", otpDone=" + otpDone + ", device=" + deviceId + "]";
    }
}
