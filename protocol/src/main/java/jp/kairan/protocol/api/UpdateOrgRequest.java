package jp.kairan.protocol.api;

import java.util.List;

/** {@code PATCH /api/v1/orgs/{orgId}}; null fields are left as they are. */
public record UpdateOrgRequest(String name, String lgCode, List<String> allowedFactors, Integer maxDevicesPerUser) {
}
