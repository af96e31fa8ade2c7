package jp.kairan.protocol.api;

/**
 * An organization's classification settings (POLICY.md).
 *
 * @param defaultCeiling          the ceiling of rooms without their own, {@code I}..{@code IV} (default {@code II})
 * @param emergencyMaxHours       the longest emergency, 1..168 hours (default 72)
 * @param emergencySingleApprover whether an owner's emergency starts at once, without a second approver
 */
public record OrgPolicy(String defaultCeiling, Integer emergencyMaxHours, Boolean emergencySingleApprover) {
}
