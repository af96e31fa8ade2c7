package jp.kairan.server.audit;

/** Kinds of audit events. The wire names are stable: they end up in exports and audit views. */
public enum AuditAction {
    LOGIN_PASSWORD_OK("auth.password.ok"),
    LOGIN_SUCCEEDED("auth.login.succeeded"),
    LOGIN_FAILED("auth.login.failed"),
    ACCOUNT_LOCKED("auth.account.locked"),
    ACCOUNT_UNLOCKED("auth.account.unlocked"),
    OTP_FAILED("auth.otp.failed"),
    OTP_MAILED("auth.otp.mailed"),
    TOTP_ENROLLED("auth.totp.enrolled"),
    PASSWORD_CHANGED("auth.password.changed"),
    PASSWORD_RESET("auth.password.reset"),
    REFRESH_REUSED("auth.refresh.reused"),
    LOGOUT("auth.logout"),
    OPERATOR_CREATED("server.operator.created"),
    ORG_CREATED("org.created"),
    ORG_UPDATED("org.updated"),
    ORG_FACTORS_CHANGED("org.factors.changed"),
    DEPARTMENT_CREATED("org.department.created"),
    DEPARTMENT_UPDATED("org.department.updated"),
    DEPARTMENT_DELETED("org.department.deleted"),
    USER_CREATED("org.user.created"),
    USER_UPDATED("org.user.updated"),
    USER_STATUS_CHANGED("org.user.status.changed"),
    ROLES_CHANGED("org.user.roles.changed"),
    /**
     * Someone tried to reset, unlock, suspend or change a user they may not manage (an admin acting on an owner,
     * admin or auditor, or anyone without the right).
     */
    USER_ACTION_DENIED("org.user.action-denied"),
    ROOM_CREATED("room.created"),
    ROOM_RENAMED("room.renamed"),
    ROOM_ARCHIVED("room.archived"),
    ROOM_RESTORED("room.restored"),
    ROOM_MEMBERS_ADDED("room.members.added"),
    ROOM_MEMBER_REMOVED("room.member.removed"),
    ROOM_MEMBER_ROLE_CHANGED("room.member.role.changed"),
    /** An org owner who is not a member read a room (its members, history or readers). */
    ROOM_READ_BY_OWNER("room.read.by-owner"),
    MESSAGE_DELETED("message.deleted"),
    DEVICE_REGISTERED("device.registered"),
    DEVICE_APPROVED("device.approved"),
    DEVICE_REJECTED("device.rejected"),
    DEVICE_REVOKED("device.revoked"),
    DEVICE_WIPE_CONFIRMED("device.wipe-confirmed"),
    /** Someone tried to approve, reject or revoke a device they may not decide on. */
    DEVICE_ACTION_DENIED("device.action-denied"),
    /** A sign-in, refresh or request came from a revoked or rejected device. */
    DEVICE_REFUSED("device.refused"),
    /** A DPoP proof was presented a second time. */
    DPOP_REPLAYED("auth.dpop.replayed"),
    /** A message or edit was refused for its content (detectors, room, keyed hash; never the text). */
    MESSAGE_BLOCKED("policy.message.blocked"),
    /** A sender confirmed a warning and the message was sent. */
    WARNING_CONFIRMED("policy.warning.confirmed"),
    /** A class-I message was sent in a room in emergency mode. */
    EMERGENCY_CLASS_I_SENT("policy.emergency.class-i-sent"),
    EMERGENCY_REQUESTED("policy.emergency.requested"),
    EMERGENCY_APPROVED("policy.emergency.approved"),
    EMERGENCY_ENDED("policy.emergency.ended"),
    EMERGENCY_EXPIRED("policy.emergency.expired"),
    ROOM_CEILING_CHANGED("policy.room-ceiling.changed"),
    POLICY_ORG_CHANGED("policy.org.changed"),
    POLICY_TERMS_CHANGED("policy.terms.changed"),
    /** Someone tried to change a room's ceiling or emergency mode without the right. */
    POLICY_ACTION_DENIED("policy.action-denied"),
    RETENTION_CHANGED("retention.changed"),
    /** A purge run deleted expired messages (counts). */
    RETENTION_PURGED("retention.purged"),
    HOLD_PLACED("retention.hold.placed"),
    HOLD_RELEASED("retention.hold.released"),
    EXPORT_REQUESTED("export.requested"),
    EXPORT_COMPLETED("export.completed"),
    EXPORT_DOWNLOADED("export.downloaded"),
    EXPORT_EXPIRED("export.expired"),
    /** An owner or admin searched the audit log (the first page of a search; further pages are not recorded). */
    AUDIT_VIEWED("audit.viewed"),
    /** An owner or admin downloaded the audit log as CSV (the filters and the number of rows). */
    AUDIT_EXPORTED("audit.exported");

    private final String wireName;

    AuditAction(String wireName) {
        this.wireName = wireName;
    }

    /** The stable name, e.g. {@code auth.login.failed}. */
    public String wireName() {
        return wireName;
    }
}
