package jp.kairan.server.http;

import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import jp.kairan.protocol.api.PresenceEntry;
import jp.kairan.server.audit.AuditQuery;
import jp.kairan.server.auth.AuthServices;
import jp.kairan.server.ceiling.Policies;
import jp.kairan.server.export.ExportService;
import jp.kairan.server.message.MessageReads;
import jp.kairan.server.org.Departments;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.retention.RetentionService;
import jp.kairan.server.room.RoomService;
import jp.kairan.server.search.SearchService;

/**
 * The features the HTTP face translates requests into calls on, as {@code KairanServer} wired them. The face holds no
 * logic of its own and opens no transaction: every endpoint calls one of these.
 *
 * @param databaseReady the readiness probe of {@code /health/ready}
 * @param presence      who of a room's members is online, from the gateway's presence
 */
public record HttpFeatures(OrgService orgs, Departments departments, AuthServices auth, RoomService rooms,
                           MessageReads messages, Policies policies, AuditQuery auditLog, RetentionService retention,
                           ExportService exports, SearchService search, LongFunction<List<PresenceEntry>> presence,
                           BooleanSupplier databaseReady) {

    public HttpFeatures {
        Objects.requireNonNull(orgs, "orgs");
        Objects.requireNonNull(departments, "departments");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(rooms, "rooms");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(auditLog, "auditLog");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(exports, "exports");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(databaseReady, "databaseReady");
    }
}
