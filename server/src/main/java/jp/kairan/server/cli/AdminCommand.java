package jp.kairan.server.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import jp.kairan.protocol.api.CreateOrgRequest;
import jp.kairan.protocol.api.CreateOrgResponse;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.KairanServer;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.auth.AccountService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Operator tasks on the command line, run against the same database and services as the server (on MariaDB the
 * server may be running; the embedded H2 database must be released by stopping the server first). Each task is
 * audited as coming from the command line.
 */
@Command(name = "admin", description = "Operator tasks.", mixinStandardHelpOptions = true,
        subcommands = {AdminCommand.CreateOrg.class, AdminCommand.ResetPassword.class, AdminCommand.Unlock.class})
public final class AdminCommand implements Runnable {

    @Override
    public void run() {
        System.err.println("Choose a task: create-org, reset-password, unlock (see --help).");
    }

    abstract static class Task implements Callable<Integer> {
        @Mixin
        ConfigOptions common;

        @Override
        public Integer call() {
            try (KairanServer server = KairanServer.open(common.load(), Clock.systemUTC())) {
                run(server.auth().accounts());
                return 0;
            } catch (KairanException e) {
                System.err.println("error: " + e.code().code() + ": " + e.code().message() + " / " + e.code().messageJa()
                        + (e.field() != null ? " (" + e.field() + ")" : ""));
                return 1;
            }
        }

        abstract void run(AccountService accounts);
    }

    @Command(name = "create-org", description = "Create an organization and its first owner; prints the owner's initial password.")
    static final class CreateOrg extends Task {
        @Option(names = "--name", required = true, description = "Organization name, e.g. ○○市")
        String name;
        @Option(names = "--lg-code", description = "6-digit local-government code (with check digit)")
        String lgCode;
        @Option(names = "--owner-login", required = true, description = "Owner's login ID")
        String ownerLogin;
        @Option(names = "--owner-name", required = true, description = "Owner's display name")
        String ownerName;
        @Option(names = "--owner-email", description = "Owner's e-mail address (for mailed codes)")
        String ownerEmail;

        @Override
        void run(AccountService accounts) {
            CreateOrgResponse r = accounts.createOrg(AccountService.commandLine(),
                    new CreateOrgRequest(name, lgCode, new CreateOrgRequest.NewOwner(ownerLogin, ownerName, ownerEmail)),
                    Origin.COMMAND_LINE);
            System.out.println("organization " + r.org().id() + " \"" + r.org().name() + "\" created");
            System.out.println("owner login ID: " + r.owner().loginId());
            System.out.println("initial password (shown once): " + r.initialPassword());
        }
    }

    @Command(name = "reset-password", description = "Issue a new initial password for a login ID; ends its sessions.")
    static final class ResetPassword extends Task {
        @Parameters(index = "0", description = "Login ID")
        String loginId;
        @Option(names = "--reset-totp", description = "Also remove the enrolled authenticator app")
        boolean resetTotp;

        @Override
        void run(AccountService accounts) {
            System.out.println("initial password (shown once): " + accounts.resetPasswordByLogin(loginId, resetTotp));
        }
    }

    @Command(name = "unlock", description = "Unlock an account locked after failed sign-ins.")
    static final class Unlock extends Task {
        @Parameters(index = "0", description = "Login ID")
        String loginId;

        @Override
        void run(AccountService accounts) {
            accounts.unlockByLogin(loginId);
            System.out.println("unlocked " + loginId);
        }
    }
}
