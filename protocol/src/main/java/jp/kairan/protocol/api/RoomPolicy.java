package jp.kairan.protocol.api;

/**
 * A room's classification policy (POLICY.md).
 *
 * @param ceiling          the ceiling without an emergency: the room's own or the org default ({@code I}..{@code IV})
 * @param ownCeiling       the room's own setting, or null when it follows the org default
 * @param orgDefault       the org default
 * @param effectiveCeiling {@code I} during an active emergency, else {@code ceiling}
 * @param emergency        the pending or active emergency, or null
 */
public record RoomPolicy(String ceiling, String ownCeiling, String orgDefault, String effectiveCeiling, Emergency emergency) {
}
