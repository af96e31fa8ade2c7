package jp.kairan.server.http;

import jp.kairan.protocol.api.HoldRequest;
import jp.kairan.protocol.api.ReasonRequest;
import jp.kairan.protocol.api.RetentionRequest;
import jp.kairan.server.retention.RetentionService;

/** Retention periods (organization and rooms) and legal holds. Authorization lives in the service. */
final class RetentionEndpoints {
    private final RetentionService retention;

    RetentionEndpoints(RetentionService retention) {
        this.retention = retention;
    }

    void register(ApiRouter r) {
        r.get("/api/v1/orgs/{orgId}/retention", req -> retention.get(req.principal(), req.pathId("orgId")));
        r.put("/api/v1/orgs/{orgId}/retention", req -> retention.setOrgDays(req.principal(), req.pathId("orgId"),
                req.body(RetentionRequest.class).days(), req.origin()));
        r.post("/api/v1/orgs/{orgId}/retention/purge", req -> retention.purgeNow(req.principal(), req.pathId("orgId")));
        r.put("/api/v1/rooms/{roomId}/retention", req -> retention.setRoomDays(req.principal(), RoomEndpoints.roomId(req),
                req.body(RetentionRequest.class).days(), req.origin()));
        r.get("/api/v1/orgs/{orgId}/holds", req -> retention.holds(req.principal(), req.pathId("orgId")));
        r.post("/api/v1/orgs/{orgId}/holds", req -> {
            HoldRequest body = req.body(HoldRequest.class);
            return new ApiHandler.Created(retention.placeHold(req.principal(), req.pathId("orgId"), body.scope(), body.targetId(),
                    body.reason(), req.origin()));
        });
        r.post("/api/v1/orgs/{orgId}/holds/{holdId}/release", req -> retention.releaseHold(req.principal(), req.pathId("orgId"),
                req.pathId("holdId"), req.body(ReasonRequest.class).reason(), req.origin()));
    }
}
