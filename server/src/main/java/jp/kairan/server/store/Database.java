package jp.kairan.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import jp.kairan.server.config.DatabaseConfig;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs blocking persistence work off I/O threads. Owns the HikariCP pool, the Hibernate
 * {@link SessionFactory} and a fixed executor sized to the pool with a bounded queue: when the queue is
 * full, work fails fast with {@link ServerBusyException} instead of queueing without limit.
 *
 * <p>When the database cannot be reached, work fails with {@link DatabaseUnavailableException} (retryable, no
 * stack trace in the log: {@link Reachability} logs the outage once). During an outage a request waits at most
 * {@link #PROBE_WAIT} for one shared probe connection instead of HikariCP's full connection timeout per request,
 * and the first probe that gets a connection ends the outage, without a restart. Thread-safe; one per server.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** How long the readiness probe, or a request during an outage, waits for the probe connection. */
    static final Duration PROBE_WAIT = Duration.ofSeconds(1);

    private final HikariDataSource dataSource;
    private final SessionFactory sessions;
    private final ThreadPoolExecutor executor;
    private final boolean embedded;
    private final Reachability reachability;
    /** One thread for the probe connection, so that probes never pile up however often they are asked for. */
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kairan-db-probe");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<CompletableFuture<Boolean>> probe = new AtomicReference<>();

    private Database(HikariDataSource dataSource, SessionFactory sessions, ThreadPoolExecutor executor, boolean embedded,
                     Reachability reachability) {
        this.dataSource = dataSource;
        this.sessions = sessions;
        this.executor = executor;
        this.embedded = embedded;
        this.reachability = reachability;
    }

    /**
     * Connects, migrates the schema to the newest version and builds the session factory.
     *
     * @param config   connection and pool settings
     * @param entities every entity class of every feature
     * @param metrics  registry for pool metrics, may be null
     */
    public static Database open(DatabaseConfig config, Collection<Class<?>> entities, MeterRegistry metrics) {
        return open(config, entities, metrics, 0);
    }

    /**
     * As {@link #open(DatabaseConfig, Collection, MeterRegistry)}, with {@code dedicatedThreads} more connections
     * in the pool for threads that run transactions themselves ({@link #callOnThisThread}).
     */
    public static Database open(DatabaseConfig config, Collection<Class<?>> entities, MeterRegistry metrics,
                                int dedicatedThreads) {
        HikariDataSource ds = dataSource(config, metrics, dedicatedThreads);
        try {
            Migrations.migrate(ds, config.embedded());
            Configuration cfg = new Configuration();
            entities.forEach(cfg::addAnnotatedClass);
            cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, ds);
            cfg.setProperty(AvailableSettings.HBM2DDL_AUTO, "none");
            cfg.setProperty(AvailableSettings.JDBC_TIME_ZONE, "UTC");
            cfg.setProperty(AvailableSettings.STATEMENT_BATCH_SIZE, "50");
            cfg.setProperty(AvailableSettings.ORDER_INSERTS, "true");
            cfg.setProperty(AvailableSettings.ORDER_UPDATES, "true");
            cfg.setProperty(AvailableSettings.SHOW_SQL, "false");
            cfg.setProperty("hibernate.connection.handling_mode", "DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION");
            SessionFactory sf = cfg.buildSessionFactory();
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor executor = new ThreadPoolExecutor(config.poolSize(), config.poolSize(), 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(config.queueCapacity()), r -> {
                        Thread t = new Thread(r, "kairan-db-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            return new Database(ds, sf, executor, config.embedded(), new Reachability(metrics));
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    private static HikariDataSource dataSource(DatabaseConfig config, MeterRegistry metrics, int dedicatedThreads) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("kairan");
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.poolSize() + dedicatedThreads);
        hc.setMinimumIdle(Math.min(2, config.poolSize()));
        hc.setAutoCommit(false);
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(15_000);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (!config.embedded()) {
            hc.addDataSourceProperty("useServerPrepStmts", "false");
            hc.addDataSourceProperty("rewriteBatchedStatements", "true");
            hc.addDataSourceProperty("connectionCollation", "utf8mb4_bin");
        }
        if (metrics != null) {
            hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        }
        return new HikariDataSource(hc);
    }

    /**
     * Runs {@code work} in one transaction on a database thread and completes with its result. On an exception
     * the transaction is rolled back and the future fails with it. {@code work} must not return entities.
     * Fails with {@link ServerBusyException} when the queue is full.
     */
    public <T> CompletableFuture<T> inTransaction(Function<Tx, T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> runInTransaction(work), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ServerBusyException(
                    "Database queue is full (threads=" + executor.getMaximumPoolSize() + ", queued="
                            + executor.getQueue().size() + ")"));
        }
    }

    /**
     * Runs {@code work} in a transaction and waits for it. For threads that may block (HTTP worker threads, the
     * command line), never for event loops. Rethrows the work's own exception unwrapped.
     */
    public <T> T call(Function<Tx, T> work) {
        try {
            return inTransaction(work).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * Runs {@code work} in a transaction on the calling thread. Only for the dedicated threads counted when
     * the database was opened (the message writer lanes), which must not wait behind the shared executor.
     */
    public <T> T callOnThisThread(Function<Tx, T> work) {
        return runInTransaction(work);
    }

    private <T> T runInTransaction(Function<Tx, T> work) {
        if (reachability.unreachable() && (reachability.failedWithin(PROBE_WAIT) || !probe())) {
            reachability.refused();
            throw new DatabaseUnavailableException("the database is unreachable");
        }
        try {
            T result = transaction(work);
            reachability.succeeded();
            return result;
        } catch (RuntimeException e) {
            if (DatabaseUnavailableException.isConnectionFailure(e)) {
                reachability.failed(e);
                reachability.refused();
                throw new DatabaseUnavailableException("the database is unreachable: " + e.getMessage());
            }
            if (DatabaseUnavailableException.isPoolExhausted(e)) {
                throw new ServerBusyException("no database connection became free in time");
            }
            throw e;
        }
    }

    private <T> T transaction(Function<Tx, T> work) {
        try (Session session = sessions.openSession()) {
            Transaction transaction = session.beginTransaction();
            try {
                T result = work.apply(new Tx(session));
                transaction.commit();
                return result;
            } catch (RuntimeException e) {
                if (transaction.isActive()) {
                    try {
                        transaction.rollback();
                    } catch (RuntimeException rollbackFailure) {
                        e.addSuppressed(rollbackFailure);
                    }
                }
                throw e;
            }
        }
    }

    /**
     * Whether a connection can be had and answers; for the readiness probe. Answers within {@link #PROBE_WAIT}:
     * at once while a connection failed less than that ago, else after waiting that long at most for the probe.
     */
    public boolean ping() {
        return !reachability.failedWithin(PROBE_WAIT) && probe();
    }

    /**
     * Asks for a connection on the probe thread (joining the probe in flight, if any) and waits {@link #PROBE_WAIT}
     * at most for the answer. HikariCP's connection timeout is pool-wide and long enough for a busy pool; a probe
     * that outlives the wait keeps running on its one thread and settles the state when it ends.
     */
    private boolean probe() {
        CompletableFuture<Boolean> p = probe.get();
        if (p == null || p.isDone()) {
            CompletableFuture<Boolean> fresh = new CompletableFuture<>();
            if (probe.compareAndSet(p, fresh)) {
                try {
                    prober.execute(() -> fresh.complete(connects()));
                } catch (RejectedExecutionException e) {
                    fresh.complete(false);
                }
            }
            p = probe.get();
        }
        try {
            return p.get(PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean connects() {
        try (Connection c = dataSource.getConnection()) {
            boolean valid = c.isValid(2);
            if (valid) {
                reachability.succeeded();
            }
            return valid;
        } catch (SQLException | RuntimeException e) {
            if (DatabaseUnavailableException.isConnectionFailure(e)) {
                reachability.failed(e);
            } else {
                log.warn("database probe failed: {}", e.getMessage());
            }
            return false;
        }
    }

    /** Whether this is the embedded H2 database. */
    public boolean embedded() {
        return embedded;
    }

    @Override
    public void close() {
        prober.shutdownNow();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        sessions.close();
        dataSource.close();
    }
}
