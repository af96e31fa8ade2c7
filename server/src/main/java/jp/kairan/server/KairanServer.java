package jp.kairan.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.kairan.protocol.Json;
import jp.kairan.protocol.ProtocolVersion;
import jp.kairan.protocol.api.ClientConfig;
import jp.kairan.server.audit.AuditIntegrity;
import jp.kairan.server.audit.AuditQuery;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.auth.AccountService;
import jp.kairan.server.auth.AuthServices;
import jp.kairan.server.ceiling.Policies;
import jp.kairan.server.config.ServerConfig;
import jp.kairan.server.device.DeviceService;
import jp.kairan.server.export.ExportService;
import jp.kairan.server.gateway.ConnectionRegistry;
import jp.kairan.server.gateway.GatewayServer;
import jp.kairan.server.http.HttpFeatures;
import jp.kairan.server.http.HttpServer;
import jp.kairan.server.mail.MailSender;
import jp.kairan.server.message.MessageReads;
import jp.kairan.server.message.Messages;
import jp.kairan.server.org.Departments;
import jp.kairan.server.org.OrgService;
import jp.kairan.server.retention.RetentionService;
import jp.kairan.server.room.RoomService;
import jp.kairan.server.search.SearchOutbox;
import jp.kairan.server.search.SearchService;
import jp.kairan.server.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server, wired by constructors: database, features, HTTP. {@link #open} builds the services (enough
 * for command-line tasks); {@link #start} also serves HTTP. Close once.
 */
public final class KairanServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KairanServer.class);
    /** How often the heads of the audit chains that moved are signed. */
    static final Duration CHECKPOINT_EVERY = Duration.ofMinutes(5);
    /** When, after start, and how often expired messages are purged and expired exports deleted. */
    static final Duration PURGE_FIRST = Duration.ofMinutes(10);
    static final Duration PURGE_EVERY = Duration.ofMinutes(60);

    private final ServerConfig config;
    private final PrometheusMeterRegistry metrics;
    private final Database db;
    private final MailSender mail;
    private final OrgService orgs;
    private final Departments departments;
    private final AuthServices auth;
    private final ConnectionRegistry registry;
    private final RoomService rooms;
    private final Messages messages;
    private final MessageReads messageReads;
    private final Policies policies;
    private final SearchService search;
    private final RetentionService retention;
    private final ExportService exports;
    private final AuditQuery auditLog;
    private final Scheduler scheduler;
    private final Clock clock;
    private HttpServer http;
    private GatewayServer gateway;

    private KairanServer(ServerConfig config, Clock clock) {
        this.clock = clock;
        this.config = config;
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        List<Class<?>> entities = new ArrayList<>();
        entities.addAll(AuditService.entityClasses());
        entities.addAll(OrgService.entityClasses());
        entities.addAll(AuthServices.entityClasses());
        this.db = Database.open(config.database(), entities, metrics, config.messages().writerLanes());
        ObjectMapper json = Json.mapper();
        // Events written before the audit chain existed are linked into it before anything new is written.
        AuditIntegrity.backfill(db);
        AuditService audit = new AuditService(clock, json);
        this.orgs = new OrgService(db, clock, audit);
        this.departments = new Departments(db, clock, audit);
        this.mail = new MailSender(config.mail(), clock);
        DeviceService devices = new DeviceService(db, clock, audit, orgs, mail, config.mail().enabled(),
                AuthServices.deviceSessions(clock));
        this.auth = new AuthServices(db, clock, config.auth(), orgs, audit, mail, config.mail().enabled(), metrics,
                config.dataDir(), devices);
        auth.start();
        this.registry = new ConnectionRegistry(json, config.gateway().writeBufferHighBytes(), metrics);
        auth.sessions().onUserChanged(registry::userChanged);
        auth.devices().addListener(registry::deviceRevoked);
        this.rooms = new RoomService(db, clock, audit, registry);
        this.policies = new Policies(db, clock, audit, rooms, registry);
        policies.start();
        SearchOutbox searchOutbox = new SearchOutbox(config.search().enabled());
        this.search = new SearchService(db, clock, audit, config.search(), searchOutbox, metrics);
        this.retention = new RetentionService(db, clock, audit, searchOutbox);
        this.exports = new ExportService(db, clock, audit, config.dataDir().resolve("exports"), config.exportTtl(),
                payload -> auth.tokens().signDocument(ExportService.MANIFEST_TYPE, payload), () -> auth.tokens().jwksJson());
        this.auditLog = new AuditQuery(db, audit, json);
        this.scheduler = new Scheduler();
        scheduler.every("signing the audit chain heads", CHECKPOINT_EVERY, CHECKPOINT_EVERY, this::checkpointAudit);
        scheduler.every("the retention purge and export expiry", PURGE_FIRST, PURGE_EVERY, this::purgeExpired);
        this.messages = new Messages(db, clock, audit, rooms, registry, policies.screening(), searchOutbox,
                config.messages(), metrics);
        this.messageReads = new MessageReads(db, rooms);
        messages.start();
    }

    /** Connects, migrates and wires the services without serving. */
    public static KairanServer open(ServerConfig config, Clock clock) {
        return new KairanServer(config, clock);
    }

    /** Opens and serves HTTP; on first start creates the operator and prints its setup password. */
    public static KairanServer start(ServerConfig config, Clock clock) {
        KairanServer server = new KairanServer(config, clock);
        try {
            server.bootstrap();
            // Only a serving server holds the index: command-line tasks must work while it runs.
            server.search.start();
            server.gateway = new GatewayServer(config.gateway(), clock, server.auth.sessions(), server.messages,
                    server.registry, Json.mapper(), server.metrics);
            server.gateway.start();
            ClientConfig clientConfig = new ClientConfig(config.gateway().publicUrl().orElse(null), server.gateway.port(),
                    "/ws", config.gateway().tls(), ProtocolVersion.SUBPROTOCOLS);
            HttpFeatures features = new HttpFeatures(server.orgs, server.departments, server.auth, server.rooms,
                    server.messageReads, server.policies, server.auditLog, server.retention, server.exports, server.search,
                    server.registry::presence, server.db::ping);
            server.http = new HttpServer(config.http(), Json.mapper(), features, clientConfig, server.metrics, clock);
            server.http.start();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void bootstrap() {
        Optional<String> setup = auth.accounts().bootstrapOperator(config.dataDir());
        setup.ifPresent(password -> {
            // Printed to the console once, as Jenkins and Gitea do; it is also in the file until it is changed.
            String banner = "\n*************************************************************\n"
                    + " Kairan first start: operator account created.\n"
                    + " Login ID: operator\n"
                    + " One-time setup password: " + password + "\n"
                    + " (also in " + config.dataDir().resolve(AccountService.SETUP_PASSWORD_FILE) + ")\n"
                    + " Sign in, change it and enrol an authenticator app.\n"
                    + "*************************************************************\n";
            System.out.println(banner);
            log.info("operator account created; the setup password was printed to the console and written to the data directory");
        });
    }

    public ServerConfig config() {
        return config;
    }

    public AuthServices auth() {
        return auth;
    }

    public OrgService orgs() {
        return orgs;
    }

    public Database database() {
        return db;
    }

    public RoomService rooms() {
        return rooms;
    }

    public Messages messages() {
        return messages;
    }

    public Policies policies() {
        return policies;
    }

    public SearchService search() {
        return search;
    }

    public RetentionService retention() {
        return retention;
    }

    public ExportService exports() {
        return exports;
    }

    private void purgeExpired() {
        retention.purge();
        exports.expire();
    }

    /** Signs the heads of the audit chains that moved since their last checkpoint; returns how many. */
    public int checkpointAudit() {
        try {
            return AuditIntegrity.checkpoint(db, clock,
                    payload -> auth.tokens().signDocument(AuditIntegrity.CHECKPOINT_TYPE, payload));
        } catch (RuntimeException e) {
            log.warn("could not sign the audit chain heads; will retry", e);
            return 0;
        }
    }

    /** The gateway port, once started. */
    public int gatewayPort() {
        return gateway.port();
    }

    /** The HTTP port, once started. */
    public int httpPort() {
        return http.port();
    }

    /** The management listener's port ({@code /metrics}), once started; -1 when {@code management.port} is not set. */
    public int managementPort() {
        return http.managementPort();
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop();
        }
        if (gateway != null) {
            gateway.close();
        }
        messages.close();
        search.close();
        policies.close();
        scheduler.close();
        exports.close();
        checkpointAudit();
        auth.devices().close();
        mail.close();
        db.close();
        metrics.close();
    }
}
