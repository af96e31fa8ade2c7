package jp.kairan.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.gatling.http.action.ws.WsInboundMessage;
import java.util.List;
import jp.kairan.protocol.ErrorReply;
import jp.kairan.protocol.Json;
import jp.kairan.protocol.MessageAck;
import jp.kairan.protocol.MessagePosted;
import jp.kairan.protocol.PresenceChanged;
import jp.kairan.protocol.ServerMessage;

/**
 * Reads the frames one connection received (Gatling's unmatched-message buffer) into the {@link Ledger}, each
 * parsed with the protocol's records and mapper. Stateless and thread-safe.
 */
final class Inbox {
    private static final ObjectMapper JSON = Json.mapper();
    private static final ObjectReader FRAMES = JSON.readerFor(ServerMessage.class);
    private static final String PRESENCE_PREFIX = "{\"type\":\"" + PresenceChanged.TYPE + "\"";

    private Inbox() {
    }

    static void read(Ledger ledger, Ledger.Member member, List<WsInboundMessage> frames) {
        for (WsInboundMessage frame : frames) {
            if (frame instanceof WsInboundMessage.Text text) {
                read(ledger, member, text.message(), text.timestamp());
            } else {
                ledger.other("binary");
            }
        }
    }

    static void read(Ledger ledger, Ledger.Member member, String frame, long arrivalMillis) {
        if (frame.startsWith(PRESENCE_PREFIX)) {
            // Every connection hears every org member come and go: at 10,000 connections that is 10^8 frames
            // while they connect, which the bench only counts. A frame with its type elsewhere is parsed below.
            ledger.other(PresenceChanged.TYPE);
            return;
        }
        ServerMessage message;
        try {
            message = FRAMES.readValue(frame);
        } catch (JsonProcessingException e) {
            // A type or an error code newer than this build, or a broken frame: count it by what it says it is.
            ledger.other("unreadable:" + typeOf(frame));
            return;
        }
        if (message instanceof MessagePosted posted) {
            member.posted(posted.roomId(), posted.message().seq(), posted.message().text(), arrivalMillis);
        } else if (message instanceof MessageAck ack) {
            member.ack(ack.re(), ack.seq(), ack.duplicate(), arrivalMillis);
        } else if (message instanceof ErrorReply error) {
            member.error(error.re(), error.code().code());
        } else {
            ledger.other(message.type());
        }
    }

    private static String typeOf(String frame) {
        try {
            JsonNode node = JSON.readTree(frame);
            return node.path("type").asText("?") + (node.has("code") ? "/" + node.path("code").asText() : "");
        } catch (JsonProcessingException e) {
            return "not_json";
        }
    }
}
