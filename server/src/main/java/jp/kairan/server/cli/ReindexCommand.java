package jp.kairan.server.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import jp.kairan.server.KairanServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code reindex}: deletes the search index and rebuilds it from the database's messages, then applies the search
 * outbox. Run it with the server stopped (the index belongs to one process at a time). Exit status 0 when done.
 */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = "Rebuild the full-text search index from the database (stop the server first).")
public final class ReindexCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions common;

    @Override
    public Integer call() {
        try (KairanServer server = KairanServer.open(common.load(), Clock.systemUTC())) {
            if (!server.config().search().enabled()) {
                System.err.println("search is turned off (search.enabled=false); nothing to rebuild");
                return 1;
            }
            long started = System.nanoTime();
            long n = server.search().reindex();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("search index rebuilt: %d messages in %.1f s (%.0f messages/s) in %s%n", n, seconds,
                    seconds > 0 ? n / seconds : n, server.config().search().indexDir());
            return 0;
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage() + " (stop the server first)");
            return 1;
        }
    }
}
