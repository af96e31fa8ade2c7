package jp.kairan.server.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import jp.kairan.server.KairanServer;
import jp.kairan.server.audit.AuditIntegrity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code verify-audit}: checks every audit chain in the database (or one organization's) from its first event to its
 * head and its signed checkpoints, and names the first broken link. Exit status 0 when all are intact, 1 when one is
 * broken.
 */
@Command(name = "verify-audit", mixinStandardHelpOptions = true,
        description = "Verify the audit log's hash chains and signed checkpoints; report the first broken link of each chain.")
public final class VerifyAuditCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions common;

    @Option(names = "--org", description = "Only this organization's chain (its id; 0 for server-wide events).")
    Long org;

    @Override
    public Integer call() {
        try (KairanServer server = KairanServer.open(common.load(), Clock.systemUTC())) {
            List<AuditIntegrity.ChainReport> reports = AuditIntegrity.verify(server.database(), org);
            return print(reports);
        }
    }

    static int print(List<AuditIntegrity.ChainReport> reports) {
        boolean intact = true;
        for (AuditIntegrity.ChainReport r : reports) {
            String chain = r.chainKey() == 0 ? "server" : "org " + r.chainKey();
            if (r.intact()) {
                System.out.println("OK      " + chain + ": " + r.events() + " events, " + r.checkpoints() + " signed checkpoints");
            } else {
                intact = false;
                System.out.println("BROKEN  " + chain + ": " + r.problem());
            }
        }
        System.out.println(intact ? "audit log intact" : "audit log NOT intact");
        return intact ? 0 : 1;
    }
}
