package jp.kairan.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything the server sends over the gateway: replies to a request (they carry {@code re}, the request's
 * {@code id}) and pushed events (no {@code re}). See {@code PROTOCOL.md}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SessionReady.class, name = SessionReady.TYPE),
        @JsonSubTypes.Type(value = ErrorReply.class, name = ErrorReply.TYPE),
        @JsonSubTypes.Type(value = Ok.class, name = Ok.TYPE),
        @JsonSubTypes.Type(value = MessageAck.class, name = MessageAck.TYPE),
        @JsonSubTypes.Type(value = MessagePage.class, name = MessagePage.TYPE),
        @JsonSubTypes.Type(value = MessagePosted.class, name = MessagePosted.TYPE),
        @JsonSubTypes.Type(value = MessageEdited.class, name = MessageEdited.TYPE),
        @JsonSubTypes.Type(value = MessageDeleted.class, name = MessageDeleted.TYPE),
        @JsonSubTypes.Type(value = ReceiptUpdated.class, name = ReceiptUpdated.TYPE),
        @JsonSubTypes.Type(value = ReactionChanged.class, name = ReactionChanged.TYPE),
        @JsonSubTypes.Type(value = TypingStarted.class, name = TypingStarted.TYPE),
        @JsonSubTypes.Type(value = PresenceChanged.class, name = PresenceChanged.TYPE),
        @JsonSubTypes.Type(value = PresenceState.class, name = PresenceState.TYPE),
        @JsonSubTypes.Type(value = RoomUpdated.class, name = RoomUpdated.TYPE),
        @JsonSubTypes.Type(value = MemberJoined.class, name = MemberJoined.TYPE),
        @JsonSubTypes.Type(value = MemberLeft.class, name = MemberLeft.TYPE),
        @JsonSubTypes.Type(value = Hello.class, name = Hello.TYPE),
        @JsonSubTypes.Type(value = DeviceRevoked.class, name = DeviceRevoked.TYPE),
        @JsonSubTypes.Type(value = RoomPolicyChanged.class, name = RoomPolicyChanged.TYPE),
})
public sealed interface ServerMessage permits SessionReady, ErrorReply, Ok, MessageAck, MessagePage, MessagePosted,
        MessageEdited, MessageDeleted, ReceiptUpdated, ReactionChanged, TypingStarted, PresenceChanged, PresenceState, RoomUpdated,
        MemberJoined, MemberLeft, Hello, DeviceRevoked, RoomPolicyChanged {

    /** The wire type name. */
    String type();
}
