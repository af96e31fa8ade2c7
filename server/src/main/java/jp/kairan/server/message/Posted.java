package jp.kairan.server.message;

import jp.kairan.protocol.MessageView;
import jp.kairan.server.room.Membership;

/**
 * A message just stored, with the membership it is delivered to.
 *
 * @param room    the room's members when the send was validated
 * @param message the message
 */
record Posted(Membership room, MessageView message) {
}
