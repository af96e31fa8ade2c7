package jp.kairan.server.http;

import java.util.List;
import java.util.function.LongFunction;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.SyncMessages;
import jp.kairan.protocol.api.AddMembersRequest;
import jp.kairan.protocol.api.ClientConfig;
import jp.kairan.protocol.api.CreateRoomRequest;
import jp.kairan.protocol.api.DirectRoomRequest;
import jp.kairan.protocol.api.PresenceEntry;
import jp.kairan.protocol.api.UpdateMemberRequest;
import jp.kairan.protocol.api.UpdateRoomRequest;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.message.MessageReads;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.access.Principal;
import jp.kairan.server.room.RoomService;

/** Rooms, members, history, readers, the colleague directory, presence and the client's configuration. */
final class RoomEndpoints {
    private final OrgService orgs;
    private final RoomService rooms;
    private final MessageReads messages;
    private final LongFunction<List<PresenceEntry>> presence;
    private final ClientConfig clientConfig;

    RoomEndpoints(OrgService orgs, RoomService rooms, MessageReads messages,
                  LongFunction<List<PresenceEntry>> presence, ClientConfig clientConfig) {
        this.orgs = orgs;
        this.rooms = rooms;
        this.messages = messages;
        this.presence = presence;
        this.clientConfig = clientConfig;
    }

    void register(ApiRouter r) {
        r.get("/api/v1/client-config", req -> clientConfig);
        r.get("/api/v1/directory", req -> orgs.directory(req.principal(), req.query("q")));
        r.get("/api/v1/presence", req -> presence.apply(orgOf(req.principal())));

        r.get("/api/v1/rooms", req -> messages.roomList(req.principal()));
        r.get("/api/v1/orgs/{orgId}/rooms", req -> rooms.orgRooms(req.principal(), req.pathId("orgId")));
        r.post("/api/v1/rooms", req -> new ApiHandler.Created(
                rooms.create(req.principal(), req.body(CreateRoomRequest.class), req.origin())));
        r.post("/api/v1/rooms/direct", req -> rooms.openDirect(req.principal(), req.body(DirectRoomRequest.class), req.origin()));
        r.get("/api/v1/rooms/{roomId}", req -> rooms.get(req.principal(), roomId(req), req.origin()));
        r.patch("/api/v1/rooms/{roomId}", req -> rooms.update(req.principal(), roomId(req),
                req.body(UpdateRoomRequest.class), req.origin()));
        r.post("/api/v1/rooms/{roomId}/members", req -> rooms.addMembers(req.principal(), roomId(req),
                req.body(AddMembersRequest.class), req.origin()));
        r.patch("/api/v1/rooms/{roomId}/members/{userId}", req -> rooms.setRole(req.principal(), roomId(req),
                req.pathId("userId"), req.body(UpdateMemberRequest.class), req.origin()));
        r.delete("/api/v1/rooms/{roomId}/members/{userId}", req -> {
            rooms.removeMember(req.principal(), roomId(req), req.pathId("userId"), req.origin());
            return null;
        });
        r.get("/api/v1/rooms/{roomId}/messages", req -> messages.page(req.principal(), roomId(req),
                seq(req.query("beforeSeq"), "beforeSeq"), seq(req.query("afterSeq"), "afterSeq"),
                limit(req.query("limit")), req.origin()));
        r.get("/api/v1/rooms/{roomId}/messages/{seq}/readers", req -> {
            Long seq = seq(req.pathParam("seq"), "seq");
            if (seq == null) {
                throw new KairanException(ErrorCode.INVALID_FIELD, "seq must be a sequence number", "seq");
            }
            return messages.readers(req.principal(), roomId(req), seq, req.origin());
        });
    }

    /**
     * A room id in the path. Rooms answer {@code forbidden} rather than {@code not_found}, so that ids reveal
     * nothing; a malformed id is refused the same way.
     */
    static long roomId(ApiRequest req) {
        try {
            return req.pathId("roomId");
        } catch (KairanException e) {
            throw new KairanException(ErrorCode.FORBIDDEN, "no such room");
        }
    }

    private static long orgOf(Principal p) {
        if (p.orgId() == null) {
            throw new KairanException(ErrorCode.FORBIDDEN, "the operator takes no part in talks");
        }
        return p.orgId();
    }

    private static Long seq(String raw, String field) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            long v = Long.parseLong(raw);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new KairanException(ErrorCode.INVALID_FIELD, field + " must be a sequence number", field);
    }

    private static int limit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return SyncMessages.DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new KairanException(ErrorCode.INVALID_FIELD, "limit must be a number", "limit");
        }
    }
}
