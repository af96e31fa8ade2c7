package jp.kairan.server.cli;

import com.nimbusds.jose.jwk.JWKSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.kairan.server.export.ExportVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verify-export <file>}: checks an export archive's signed manifest and every file's SHA-256, and names any
 * file that does not match. Needs no database. Exit status 0 when intact, 1 when not, 2 when it cannot be read.
 */
@Command(name = "verify-export", mixinStandardHelpOptions = true,
        description = "Verify an export archive: the manifest's JWS signature and every file's SHA-256.")
public final class VerifyExportCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The archive (.zip) as downloaded.")
    Path archive;

    @Option(names = "--jwks", description = "The server's JWKS (a file, or the https URL of /api/v1/auth/jwks) to trust instead of the "
            + "jwks.json inside the archive.")
    String jwks;

    @Override
    public Integer call() {
        try {
            JWKSet trusted = null;
            if (jwks != null) {
                trusted = jwks.startsWith("https://") || jwks.startsWith("http://")
                        ? JWKSet.load(new java.net.URL(jwks)) : JWKSet.parse(Files.readString(Path.of(jwks)));
            }
            ExportVerifier.Result r = ExportVerifier.verify(archive, trusted);
            r.problems().forEach(p -> System.out.println("MISMATCH  " + p));
            System.out.println(r.intact() ? "export intact: " + r.files() + " files, " + r.messages() + " messages, signature valid"
                    + (jwks == null ? " (key from the archive's jwks.json; compare it with the server's /api/v1/auth/jwks)" : "")
                    : "export NOT intact");
            return r.intact() ? 0 : 1;
        } catch (Exception e) {
            System.err.println("cannot verify " + archive + ": " + e.getMessage());
            return 2;
        }
    }
}
