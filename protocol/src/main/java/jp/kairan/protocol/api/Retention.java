package jp.kairan.protocol.api;

import java.util.List;

/**
 * An organization's retention: how long messages are kept, and the rooms that override it.
 *
 * @param days  days messages are kept, or null to keep them for ever
 * @param rooms rooms with their own period
 */
public record Retention(Integer days, List<RoomRetention> rooms) {
    /** A room's own period. */
    public record RoomRetention(String roomId, String name, int days) {
    }
}
