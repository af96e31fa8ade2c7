package jp.kairan.server.cli;

import java.util.List;
import jp.kairan.server.audit.AuditIntegrity;

/** Lets tests in other packages see what {@code verify-audit} prints and returns. */
public final class VerifyAuditCommandAccess {
    private VerifyAuditCommandAccess() {
    }

    public static int print(List<AuditIntegrity.ChainReport> reports) {
        return VerifyAuditCommand.print(reports);
    }
}
