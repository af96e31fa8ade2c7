package jp.kairan.server.http;

import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.ReasonRequest;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.auth.AuthServices;
import jp.kairan.server.auth.DpopVerifier;
import jp.kairan.server.auth.ProofRequest;
import jp.kairan.server.device.DeviceService;

/**
 * Devices: the user's own ("report lost"), the approvers' (approve, reject, revoke, list) and the revoked
 * device's wipe confirmation, which carries only a DPoP proof. See {@code protocol/DEVICES.md}.
 */
final class DeviceEndpoints {
    private final DeviceService devices;
    private final DpopVerifier dpop;

    DeviceEndpoints(AuthServices auth) {
        this.devices = auth.devices();
        this.dpop = auth.dpop();
    }

    void register(ApiRouter r) {
        r.get("/api/v1/me/devices", req -> devices.mine(req.principal(), req.deviceId()));
        r.post("/api/v1/me/devices/{deviceId}/revoke", req -> devices.revokeOwn(req.principal(), req.pathId("deviceId"),
                reason(req), req.origin(), req.deviceId()));
        r.get("/api/v1/orgs/{orgId}/devices", req -> devices.list(req.principal(), req.pathId("orgId"), req.query("status"),
                req.query("departmentId"), req.query("userId"), req.query("q"), req.deviceId()));
        r.post("/api/v1/orgs/{orgId}/devices/{deviceId}/approve", req -> {
            req.rawBody();
            return devices.approve(req.principal(), req.pathId("orgId"), req.pathId("deviceId"), req.origin(), req.deviceId());
        });
        r.post("/api/v1/orgs/{orgId}/devices/{deviceId}/reject", req -> devices.reject(req.principal(), req.pathId("orgId"),
                req.pathId("deviceId"), reason(req), req.origin(), req.deviceId()));
        r.post("/api/v1/orgs/{orgId}/devices/{deviceId}/revoke", req -> devices.revoke(req.principal(), req.pathId("orgId"),
                req.pathId("deviceId"), reason(req), req.origin(), req.deviceId()));
        r.post("/api/v1/devices/wipe-confirm", req -> {
            req.rawBody();
            ProofRequest proof = req.proof();
            if (proof.proof() == null) {
                throw new DpopVerifier.Rejected(DpopVerifier.Rule.MISSING, "the wipe is confirmed with a proof by the revoked device");
            }
            devices.confirmWipe(dpop.verify(proof.proof(), proof.method(), proof.url(), null, null).jkt(), req.origin());
            return null;
        });
    }

    private static String reason(ApiRequest req) throws java.io.IOException {
        return req.body(ReasonRequest.class).reason();
    }
}
