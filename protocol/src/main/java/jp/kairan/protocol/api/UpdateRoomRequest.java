package jp.kairan.protocol.api;

/**
 * Renames, archives or restores a group room (room owners and admins). Absent fields stay.
 *
 * @param name     new name, 1..100 characters
 * @param archived archive (true) or restore (false)
 */
public record UpdateRoomRequest(String name, Boolean archived) {
}
