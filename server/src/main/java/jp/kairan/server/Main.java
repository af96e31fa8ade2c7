package jp.kairan.server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import jp.kairan.server.cli.AdminCommand;
import jp.kairan.server.config.ConfigException;
import jp.kairan.server.config.ConfigKeys;
import jp.kairan.server.config.ConfigLoader;
import jp.kairan.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar kairan-server.jar [serve|admin …]}: reads the configuration, then serves (the default) or runs
 * an operator task on the same services.
 */
@Command(name = "kairan-server", mixinStandardHelpOptions = true, version = "Kairan 0.1.0",
        description = "Kairan business chat server. Without a subcommand: serve.",
        subcommands = {Main.Serve.class, AdminCommand.class, jp.kairan.server.cli.ClassifyCommand.class,
                jp.kairan.server.cli.VerifyAuditCommand.class, jp.kairan.server.cli.VerifyExportCommand.class,
                jp.kairan.server.cli.ReindexCommand.class})
public final class Main implements Runnable {

    /** Options every subcommand shares. */
    public static final class Common {
        @Option(names = "--data-dir", description = "Data directory (default ./data, or KAIRAN_DATA_DIR).")
        Path dataDir;

        @Option(names = "--config", description = "Properties file (default <data-dir>/kairan.properties if present).")
        Path configFile;

        /** Loads the configuration, printing all problems and exiting on failure. */
        public ServerConfig load() {
            Map<String, String> overrides = new HashMap<>();
            if (dataDir != null) {
                overrides.put(ConfigKeys.DATA_DIR.name(), dataDir.toString());
            }
            try {
                ServerConfig config = ConfigLoader.load(System.getenv(), Optional.ofNullable(configFile), overrides);
                System.setProperty("kairan.log.format", config.logFormat().toUpperCase(java.util.Locale.ROOT));
                return config;
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                System.exit(2);
                throw e;
            }
        }
    }

    @CommandLine.Mixin
    Common common;

    @Override
    public void run() {
        new Serve(common).run();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "serve", description = "Run the server (the default).")
    static final class Serve implements Runnable {
        @CommandLine.Mixin
        Common common;

        Serve() {
        }

        Serve(Common common) {
            this.common = common;
        }

        @Override
        public void run() {
            ServerConfig config = common.load();
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
            log.info("starting with data-dir=\"{}\" {} {} auth={} mail={}", config.dataDir(), config.http(),
                    config.database(), config.auth(), config.mail());
            KairanServer server = KairanServer.start(config, Clock.systemUTC());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("shutting down");
                server.close();
                stopped.countDown();
            }, "kairan-shutdown"));
            System.out.println("Kairan is ready: http://" + ("0.0.0.0".equals(config.http().host()) ? "localhost" : config.http().host())
                    + ":" + server.httpPort() + "/");
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
