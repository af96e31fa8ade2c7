package jp.kairan.server.http;

import jp.kairan.protocol.api.ExportRequest;
import jp.kairan.server.export.ExportService;

/** Exports for auditors: request, list, state, download. Authorization lives in the service. */
final class ExportEndpoints {
    private final ExportService exports;

    ExportEndpoints(ExportService exports) {
        this.exports = exports;
    }

    void register(ApiRouter r) {
        r.post("/api/v1/orgs/{orgId}/exports", req -> new ApiHandler.Created(exports.request(req.principal(), req.pathId("orgId"),
                req.body(ExportRequest.class), req.origin())));
        r.get("/api/v1/orgs/{orgId}/exports", req -> exports.list(req.principal(), req.pathId("orgId")));
        r.get("/api/v1/orgs/{orgId}/exports/{exportId}", req -> exports.get(req.principal(), req.pathId("orgId"), req.pathId("exportId")));
        r.get("/api/v1/orgs/{orgId}/exports/{exportId}/download", req -> {
            long id = req.pathId("exportId");
            return new ApiRouter.FileResponse(exports.download(req.principal(), req.pathId("orgId"), id, req.origin()),
                    "application/zip", "kairan-export-" + id + ".zip");
        });
    }
}
