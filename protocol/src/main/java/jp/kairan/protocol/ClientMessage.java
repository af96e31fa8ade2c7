package jp.kairan.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything a client may send over the gateway. Each frame is one JSON object whose {@code type} names the
 * record; see {@code PROTOCOL.md}. Records validate in their compact constructors: a frame that breaks a rule
 * is answered with {@code invalid_message} and nothing else happens.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Authenticate.class, name = Authenticate.TYPE),
        @JsonSubTypes.Type(value = SendMessage.class, name = SendMessage.TYPE),
        @JsonSubTypes.Type(value = EditMessage.class, name = EditMessage.TYPE),
        @JsonSubTypes.Type(value = DeleteMessage.class, name = DeleteMessage.TYPE),
        @JsonSubTypes.Type(value = SyncMessages.class, name = SyncMessages.TYPE),
        @JsonSubTypes.Type(value = FetchHistory.class, name = FetchHistory.TYPE),
        @JsonSubTypes.Type(value = MarkRead.class, name = MarkRead.TYPE),
        @JsonSubTypes.Type(value = AddReaction.class, name = AddReaction.TYPE),
        @JsonSubTypes.Type(value = RemoveReaction.class, name = RemoveReaction.TYPE),
        @JsonSubTypes.Type(value = StartTyping.class, name = StartTyping.TYPE),
        @JsonSubTypes.Type(value = SetPresence.class, name = SetPresence.TYPE),
        @JsonSubTypes.Type(value = SubscribePresence.class, name = SubscribePresence.TYPE),
})
public sealed interface ClientMessage permits Authenticate, SendMessage, EditMessage, DeleteMessage, SyncMessages,
        FetchHistory, MarkRead, AddReaction, RemoveReaction, StartTyping, SetPresence, SubscribePresence {
    /** Longest client request id. */
    int MAX_ID_CHARS = 64;

    /** Client-chosen request id, echoed as {@code re} in the reply; for {@code message.send} also the idempotency key. */
    String id();

    /** The wire type name. */
    String type();
}
