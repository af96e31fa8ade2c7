package jp.kairan.protocol.api;

/**
 * Asks for emergency mode in a room.
 *
 * @param reason why (life or body at risk), 1..500 characters
 * @param hours  the time limit, 1..the org's maximum; null for 24
 */
public record EmergencyRequest(String reason, Integer hours) {
}
