package jp.kairan.protocol.api;

import java.time.Instant;
import java.util.List;

/** An organization; {@code lgCode} is the 6-digit local-government code or null. */
public record Org(String id, String name, String lgCode, List<String> allowedFactors, long userCount, Instant createdAt,
                  int maxDevicesPerUser, OrgPolicy policy) {
}
