package jp.kairan.server.room;

/**
 * One room of a user's room list, with the user's position in it.
 *
 * @param roomId      room
 * @param direct      whether a direct talk
 * @param name        group name, or the other person's display name
 * @param peerId      the other person of a direct talk, else null
 * @param archived    read-only
 * @param lastSeq     newest seq
 * @param myRole      the user's room role
 * @param readSeq     the user's read seq
 * @param memberCount members
 */
public record RoomListing(long roomId, boolean direct, String name, Long peerId, boolean archived, long lastSeq,
                          RoomRole myRole, long readSeq, int memberCount) {
}
