package jp.kairan.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import jp.kairan.protocol.Json;

/**
 * Verifies an export archive the way anyone can: the manifest's JWS must be signed by a key of the JWKS (the one in
 * the archive, or one fetched from the server and given here) over exactly the manifest's bytes, and every file must
 * be listed with its SHA-256 and size; nothing may be missing or added. Used by {@code verify-export}.
 */
public final class ExportVerifier {
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.jws";
    public static final String KEYS = "jwks.json";
    /**
     * The shared mapper, but tolerant of bytes after the manifest's JSON value (Jackson's default, which this class
     * always had): an altered manifest with trailing bytes is then reported as a mismatch like any other alteration,
     * instead of failing the whole verification as unreadable.
     */
    private static final ObjectReader MANIFEST_READER = Json.mapper().reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ExportVerifier() {
    }

    /** What verification found: problems naming each file that does not match; empty when the archive is intact. */
    public record Result(int files, long messages, List<String> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    public static Result verify(Path archive, JWKSet trusted) throws IOException {
        List<String> problems = new ArrayList<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            byte[] manifest = read(zip, MANIFEST);
            byte[] jws = read(zip, SIGNATURE);
            if (manifest == null || jws == null) {
                return new Result(0, 0, List.of("the archive has no " + (manifest == null ? MANIFEST : SIGNATURE)));
            }
            JWKSet keys = trusted;
            if (keys == null) {
                byte[] inArchive = read(zip, KEYS);
                try {
                    keys = inArchive == null ? new JWKSet() : JWKSet.parse(new String(inArchive, StandardCharsets.UTF_8));
                } catch (ParseException e) {
                    problems.add(KEYS + " cannot be read");
                    keys = new JWKSet();
                }
            }
            problems.addAll(signature(new String(jws, StandardCharsets.US_ASCII).strip(), manifest, keys));
            JsonNode m = MANIFEST_READER.readTree(manifest);
            Map<String, JsonNode> listed = new HashMap<>();
            for (JsonNode f : m.path("files")) {
                listed.put(f.path("path").asText(), f);
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            int files = 0;
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (name.equals(MANIFEST) || name.equals(SIGNATURE) || name.equals(KEYS)) {
                    continue;
                }
                files++;
                JsonNode f = listed.remove(name);
                if (f == null) {
                    problems.add(name + ": not in the manifest (added)");
                    continue;
                }
                String[] digest = digest(zip, e);
                if (!digest[0].equals(f.path("sha256").asText()) || Long.parseLong(digest[1]) != f.path("bytes").asLong()) {
                    problems.add(name + ": does not match its SHA-256 in the manifest (altered)");
                }
            }
            listed.keySet().forEach(name -> problems.add(name + ": listed in the manifest but missing"));
            return new Result(files, m.path("messageCount").asLong(), problems);
        }
    }

    private static List<String> signature(String jws, byte[] manifest, JWKSet keys) {
        try {
            JWSObject o = JWSObject.parse(jws);
            JWK key = keys.getKeyByKeyId(o.getHeader().getKeyID());
            if (!(key instanceof ECKey ec)) {
                return List.of(SIGNATURE + ": signed by a key not in the JWKS");
            }
            if (!o.verify(new ECDSAVerifier(ec))) {
                return List.of(SIGNATURE + ": the signature does not verify");
            }
            if (!java.util.Arrays.equals(o.getPayload().toBytes(), manifest)) {
                return List.of(MANIFEST + ": differs from what was signed (altered)");
            }
            return List.of();
        } catch (ParseException | JOSEException e) {
            return List.of(SIGNATURE + ": cannot be read");
        }
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    private static String[] digest(ZipFile zip, ZipEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                total += n;
            }
            return new String[] {HexFormat.of().formatHex(sha.digest()), Long.toString(total)};
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
