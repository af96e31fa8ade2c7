package jp.kairan.server.http;

import jp.kairan.protocol.api.CeilingRequest;
import jp.kairan.protocol.api.EmergencyRequest;
import jp.kairan.protocol.api.OrgPolicy;
import jp.kairan.protocol.api.PolicyTermsRequest;
import jp.kairan.protocol.api.TextRequest;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.ceiling.Policies;

/** Importance classes (POLICY.md): draft checks, room ceilings, emergency mode, org policy and dictionaries. */
final class PolicyEndpoints {
    private final OrgService orgs;
    private final Policies policies;

    PolicyEndpoints(OrgService orgs, Policies policies) {
        this.orgs = orgs;
        this.policies = policies;
    }

    void register(ApiRouter r) {
        r.post("/api/v1/rooms/{roomId}/messages/check", req -> policies.screening().check(req.principal(), RoomEndpoints.roomId(req),
                req.body(TextRequest.class).text()));
        r.get("/api/v1/rooms/{roomId}/policy", req -> policies.rooms().get(req.principal(), RoomEndpoints.roomId(req)));
        r.put("/api/v1/rooms/{roomId}/policy", req -> policies.rooms().setCeiling(req.principal(), RoomEndpoints.roomId(req),
                req.body(CeilingRequest.class), req.origin()));
        r.post("/api/v1/rooms/{roomId}/emergency", req -> policies.rooms().requestEmergency(req.principal(), RoomEndpoints.roomId(req),
                req.body(EmergencyRequest.class), req.origin()));
        r.post("/api/v1/rooms/{roomId}/emergency/approve", req -> policies.rooms().approveEmergency(req.principal(),
                RoomEndpoints.roomId(req), req.origin()));
        r.delete("/api/v1/rooms/{roomId}/emergency", req -> policies.rooms().endEmergency(req.principal(), RoomEndpoints.roomId(req),
                req.origin()));

        r.put("/api/v1/orgs/{orgId}/policy", req -> {
            OrgPolicy body = req.body(OrgPolicy.class);
            long orgId = req.pathId("orgId");
            var org = orgs.updatePolicy(req.principal(), orgId, body, req.origin());
            policies.orgPolicyChanged(orgId);
            return org;
        });
        r.get("/api/v1/orgs/{orgId}/policy/terms", req -> policies.terms().get(req.principal(), req.pathId("orgId")));
        r.put("/api/v1/orgs/{orgId}/policy/terms", req -> policies.terms().replace(req.principal(), req.pathId("orgId"),
                req.body(PolicyTermsRequest.class).terms(), req.origin()));
    }
}
