package jp.kairan.bench;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The operator's credentials on the command line (a picocli mixin shared by the benches). */
final class OperatorOptions {
    @Option(names = "--operator-password-file", paramLabel = "FILE",
            description = "<data-dir>/initial-operator-password.txt written by the server on first start.")
    Path passwordFile;

    @Option(names = "--operator-login-id", description = "Operator login ID (default: from the file, else 'operator').")
    String loginId;

    @Option(names = "--operator-password", description = "Operator password, instead of the file.")
    String password;

    @Option(names = "--operator-totp-secret", paramLabel = "BASE32",
            description = "Operator TOTP secret, if already enrolled (the bench prints both after its setup).")
    String totpSecret;

    /** The operator account these options name; {@code command} is for the usage error. */
    Account operator(CommandLine command) {
        String id = loginId;
        String pw = password;
        if (pw == null) {
            if (passwordFile == null) {
                throw new CommandLine.ParameterException(command, "Give --operator-password-file (or --operator-password)");
            }
            OperatorCredentials fromFile = OperatorCredentials.read(passwordFile);
            pw = fromFile.password();
            if (id == null) {
                id = fromFile.loginId().orElse(null);
            }
        }
        Account operator = new Account(id == null ? "operator" : id, pw);
        if (totpSecret != null) {
            operator.totpSecret = Base32.decode(totpSecret);
        }
        return operator;
    }
}
