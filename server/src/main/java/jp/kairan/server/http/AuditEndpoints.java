package jp.kairan.server.http;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import jp.kairan.server.audit.AuditQuery;

/**
 * The audit log of an organization for its owners and admins: pages for the audit view and a CSV download
 * (HTTP-API.md "Audit log"). Authorization and the recording of each read live in {@link AuditQuery}.
 */
final class AuditEndpoints {
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final AuditQuery query;
    private final Clock clock;

    AuditEndpoints(AuditQuery query, Clock clock) {
        this.query = query;
        this.clock = clock;
    }

    void register(ApiRouter r) {
        r.get("/api/v1/orgs/{orgId}/audit", req -> query.page(req.principal(), req.pathId("orgId"), filter(req),
                req.query("before"), req.query("limit"), req.origin()));
        r.get("/api/v1/orgs/{orgId}/audit.csv", req -> {
            long orgId = req.pathId("orgId");
            // Everything that can be refused is refused here, as JSON, before the first byte of CSV.
            AuditQuery.Export export = query.export(req.principal(), orgId, filter(req), req.origin());
            String file = "kairan-audit-" + orgId + "-" + FILE_TIME.format(clock.instant()) + "Z.csv";
            return new ApiRouter.Streamed("text/csv; charset=utf-8", Map.of(
                    "Content-Disposition", "attachment; filename=\"" + file + "\"",
                    "X-Kairan-Audit-Rows", Long.toString(export.rows())), out -> query.writeCsv(export, out));
        });
    }

    private static AuditQuery.Filter filter(ApiRequest req) {
        return AuditQuery.Filter.parse(req.query("actor"), req.query("action"), req.query("from"), req.query("to"));
    }
}
