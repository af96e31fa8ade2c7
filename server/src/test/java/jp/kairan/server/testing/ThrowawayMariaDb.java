package jp.kairan.server.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code mariadbd} started for this JVM only: temporary datadir, free port on 127.0.0.1,
 * settings that favour speed over durability, stopped and deleted by a shutdown hook.
 *
 * <p>The recipe is the one in DESIGN.md ("Versions and recipes known to work"):
 * {@code mariadb-install-db --no-defaults ... --auth-root-authentication-method=normal
 * --skip-test-db}, then {@code mariadbd --no-defaults ...}. A dedicated user with a password is
 * created so that tests connect the way the server does in production.
 */
final class ThrowawayMariaDb {

    private static final List<String> SEARCH_DIRS = List.of(
            "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/usr/local/mysql/bin");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT_ATTEMPTS = 5;
    private static final String USER = "kairan_test";
    private static final String PASSWORD = "kairan_test_pw";

    private final Path root;
    private final Path adminBinary;
    private final Path serverBinary;
    private final int port;
    private volatile Process process;
    private final String version;
    private final Duration startup;

    private ThrowawayMariaDb(Path root, Path adminBinary, Path serverBinary, int port, Process process, String version,
            Duration startup) {
        this.root = root;
        this.adminBinary = adminBinary;
        this.serverBinary = serverBinary;
        this.port = port;
        this.process = process;
        this.version = version;
        this.startup = startup;
    }

    static ThrowawayMariaDb start() {
        long t0 = System.nanoTime();
        Path server = findBinary("mariadbd", "mysqld");
        Path installDb = findBinary("mariadb-install-db", "mysql_install_db");
        Path admin = findBinary("mariadb-admin", "mysqladmin");
        Path root;
        try {
            root = Files.createTempDirectory("kairan-mariadb-");
            Files.createDirectories(root.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for mariadbd", e);
        }
        Path datadir = root.resolve("data");
        Process process = null;
        try {
            installDb(installDb, datadir, root.resolve("install.log"));
            IllegalStateException lastFailure = null;
            for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
                int port = freePort();
                Path log = root.resolve("mariadbd-" + port + ".log");
                process = launch(server, root, datadir, port, log);
                try {
                    String version = awaitReady(process, port, log);
                    createUser(port);
                    ThrowawayMariaDb db = new ThrowawayMariaDb(root, admin, server, port, process, version,
                            Duration.ofNanos(System.nanoTime() - t0));
                    Runtime.getRuntime().addShutdownHook(
                            new Thread(db::stop, "mariadbd-shutdown-" + port));
                    System.err.println("[kairan-test] " + db);
                    return db;
                } catch (PortTakenException e) {
                    // another process took the port between probing and binding: try another one
                    lastFailure = e;
                    kill(process);
                    process = null;
                }
            }
            throw lastFailure;
        } catch (RuntimeException | Error e) {
            kill(process);
            deleteTree(root);
            throw e;
        }
    }

    String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    String user() {
        return USER;
    }

    String password() {
        return PASSWORD;
    }

    @Override
    public String toString() {
        return "throwaway mariadbd " + version + " on 127.0.0.1:" + port + " (pid " + process.pid()
                + ", datadir " + root.resolve("data") + ", ready in " + startup.toMillis() + " ms)";
    }

    /** Kills {@code mariadbd} with SIGKILL, as a crash would, keeping its datadir and port for {@link #restart()}. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("mariadbd did not die within " + STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code mariadbd} again after {@link #kill()}, on the same port and datadir; waits until it answers. */
    void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("mariadbd is still running");
        }
        Path log = root.resolve("mariadbd-" + port + "-restart-" + System.nanoTime() + ".log");
        process = launch(serverBinary, root, root.resolve("data"), port, log);
        awaitReady(process, port, log);
    }

    /** Stops the server ({@code mariadb-admin shutdown}, then signals) and deletes its files. */
    void stop() {
        try {
            if (process.isAlive()) {
                List<String> command = List.of(adminBinary.toString(), "--no-defaults",
                        "--protocol=tcp", "-h127.0.0.1", "-P" + port, "-uroot",
                        "--connect-timeout=5", "shutdown");
                Process shutdown = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(root.resolve("shutdown.log").toFile())
                        .start();
                if (!shutdown.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    shutdown.destroyForcibly();
                }
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            // fall through to the signals below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            kill(process);
            deleteTree(root);
        }
    }

    // ---------------------------------------------------------------- starting

    private static void installDb(Path installDb, Path datadir, Path log) {
        List<String> command = new ArrayList<>(List.of(installDb.toString(), "--no-defaults",
                "--datadir=" + datadir, "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (isRoot()) {
            command.add("--user=root");
        }
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("mariadb-install-db did not finish within "
                        + INSTALL_TIMEOUT.toSeconds() + " s. Last lines of its output:\n" + tail(log));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("mariadb-install-db failed (exit " + p.exitValue()
                        + "): " + String.join(" ", command) + "\nLast lines of its output:\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + installDb, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running mariadb-install-db", e);
        }
    }

    private static Process launch(Path server, Path root, Path datadir, int port, Path log) {
        List<String> command = new ArrayList<>(List.of(server.toString(),
                "--no-defaults",
                "--datadir=" + datadir,
                "--socket=" + root.resolve("sock"),
                "--pid-file=" + root.resolve("mariadbd.pid"),
                "--tmpdir=" + root.resolve("tmp"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_bin",
                // Speed over durability: a crash loses the last second, and the datadir is thrown away.
                "--innodb-flush-log-at-trx-commit=2",
                "--innodb-doublewrite=0",
                "--innodb-buffer-pool-size=64M",
                "--innodb-log-file-size=64M",
                "--max-connections=500"));
        if (isRoot()) {
            command.add("--user=root");
        }
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + server, e);
        }
    }

    /** Waits until the server accepts connections; returns its version. */
    private static String awaitReady(Process process, int port, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String url = "jdbc:mariadb://127.0.0.1:" + port + "/?connectTimeout=2000";
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = tail(log);
                if (tail.contains("Address already in use") || tail.contains("Can't start server: Bind")) {
                    throw new PortTakenException(port, tail);
                }
                throw new IllegalStateException("mariadbd exited with status " + process.exitValue()
                        + " before accepting connections on 127.0.0.1:" + port
                        + ". Last lines of its log:\n" + tail);
            }
            try (Connection c = DriverManager.getConnection(url, "root", "");
                    Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                return rs.getString(1);
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100); // polling an external process, not test synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for mariadbd", e);
            }
        }
        throw new IllegalStateException("mariadbd did not accept connections on 127.0.0.1:" + port
                + " within " + START_TIMEOUT.toSeconds() + " s (last error: "
                + (last == null ? "none" : last.getMessage()) + "). Last lines of its log:\n" + tail(log));
    }

    private static void createUser(int port) {
        String url = "jdbc:mariadb://127.0.0.1:" + port + "/";
        try (Connection c = DriverManager.getConnection(url, "root", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'127.0.0.1' WITH GRANT OPTION");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the test user on the throwaway mariadbd: "
                    + e.getMessage(), e);
        }
    }

    private static final class PortTakenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTakenException(int port, String log) {
            super("Port " + port + " was taken before mariadbd could bind it. Last lines of its log:\n" + log);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Finds the first of {@code names} on PATH or in the usual sbin/bin directories. */
    static Path findBinary(String... names) {
        return locate(names).orElseThrow(() -> new IllegalStateException(
                "MariaDB server binaries not found: no " + String.join(" or ", names)
                + " on PATH or in " + String.join(", ", SEARCH_DIRS) + ".\n"
                + "Integration tests need a real MariaDB (10.6+). Install it with\n"
                + "    apt-get install -y mariadb-server\n"
                + "(or run ops/test.sh, which installs what the tests need), or point "
                + MariaDb.ENV_URL + " (with " + MariaDb.ENV_USER + " and " + MariaDb.ENV_PASSWORD
                + ") at a running MariaDB server."));
    }

    static Optional<Path> locate(String... names) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(dir);
                }
            }
        }
        dirs.addAll(SEARCH_DIRS);
        for (String name : names) {
            for (String dir : dirs) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on 127.0.0.1", e);
        }
    }

    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void kill(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a leftover temp file is not worth failing the build
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
