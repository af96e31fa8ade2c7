package jp.kairan.server.cli;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import jp.kairan.server.KairanServer;
import jp.kairan.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar kairan-server.jar [serve|admin …]}: reads the configuration, then serves (the default) or runs
 * an operator task on the same services.
 */
@Command(name = "kairan-server", mixinStandardHelpOptions = true, version = "Kairan 0.1.0",
        description = "Kairan business chat server. Without a subcommand: serve.",
        subcommands = {Main.Serve.class, AdminCommand.class, ClassifyCommand.class,
                VerifyAuditCommand.class, VerifyExportCommand.class,
                ReindexCommand.class})
public final class Main implements Runnable {

    @CommandLine.Mixin
    ConfigOptions common;

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
        ConfigOptions common;

        Serve() {
        }

        Serve(ConfigOptions common) {
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
