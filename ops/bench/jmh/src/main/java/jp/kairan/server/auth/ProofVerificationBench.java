package jp.kairan.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import jp.kairan.server.config.ConfigLoader;
import jp.kairan.server.config.ServerConfig;
import jp.kairan.server.store.Database;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What device binding (issue #4, protocol/DEVICES.md) costs the server per HTTP request and per gateway
 * authentication, with the server's own classes: {@link TokenService} (ES256 access tokens, cached after their
 * first verification) and {@link DpopVerifier} (ES256 DPoP proofs, a replay cache, a cache of verifiers by key).
 *
 * <ul>
 *   <li>{@code httpRequest}: what every API call with a token costs: the token (a cache hit: the device has
 *       used it before) and a fresh proof with {@code ath}, and the {@code cnf.jkt} check;</li>
 *   <li>{@code gatewayAuthenticate}: {@code session.authenticate} on a new connection: the token's signature
 *       (a cache miss, as on a node that has not seen the token) and a proof with {@code ath} and the nonce;</li>
 *   <li>the parts: {@code proofVerify}, {@code tokenVerifyCached}, {@code tokenVerifySignature}; and, for
 *       comparison, what the client pays: {@code proofSign}.</li>
 * </ul>
 *
 * <p>Every proof must be new (the verifier refuses a replayed {@code jti}), and signing one costs as much as
 * verifying it, so each thread signs a pool of proofs before measuring and walks through it; when the pool is used
 * up it starts over with a fresh {@link DpopVerifier} (an empty replay cache; amortised over the pool). The clock
 * is fixed at the proofs' {@code iat}. The signing key lives in an in-memory H2 database, as the server keeps it
 * in its database; that costs each fork a few seconds of set-up, not measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class ProofVerificationBench {
    static final String HTTP_URL = "https://chat.city.example.jp/api/v1/rooms";
    static final String GATEWAY_URL = "wss://chat.city.example.jp/ws";

    /** The server side: token service with its signing key, and one token bound to the device key. */
    @State(Scope.Benchmark)
    public static class Server {
        final Instant now = Instant.now();
        final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        /** Proofs signed per thread before measuring (the smoke run takes fewer). */
        @Param("4096")
        int pool;
        Database db;
        TokenService tokens;
        MethodHandle verifySignature;
        ECKey deviceKey;
        ECDSASigner signer;
        String jkt;
        String token;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            Path dataDir = Files.createTempDirectory("kairan-jmh");
            ServerConfig config = ConfigLoader.load(Map.of(
                    "KAIRAN_DATA_DIR", dataDir.toString(),
                    "KAIRAN_DATABASE_JDBC_URL", "jdbc:h2:mem:jmh-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"),
                    Optional.empty(), Map.of());
            db = Database.open(config.database(), List.of(SigningKeyEntity.class), null);
            tokens = new TokenService(db, clock, config.auth());
            tokens.start();
            deviceKey = new ECKeyGenerator(Curve.P_256).generate();
            signer = new ECDSASigner(deviceKey);
            jkt = deviceKey.computeThumbprint("SHA-256").toString();
            token = tokens.issue(42, 7, jkt, 9);
            verifySignature = signaturePath(tokens);
            if (!jkt.equals(tokens.verify(token).confirmationJkt())) {
                throw new IllegalStateException("token not bound to the device key");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            db.close();
        }

        /** TokenService's uncached path (a private method), or {@code verify} if it has none. */
        private static MethodHandle signaturePath(TokenService tokens) throws ReflectiveOperationException {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(TokenService.class, MethodHandles.lookup());
            try {
                return lookup.findVirtual(TokenService.class, "verifySignature",
                        MethodType.methodType(TokenService.AccessClaims.class, String.class)).bindTo(tokens);
            } catch (NoSuchMethodException e) {
                return lookup.findVirtual(TokenService.class, "verify",
                        MethodType.methodType(TokenService.AccessClaims.class, String.class)).bindTo(tokens);
            }
        }
    }

    /** Pre-signed proofs of one kind, walked through by one thread. */
    abstract static class Proofs {
        String[] proofs;
        int next;
        DpopVerifier verifier;
        Clock clock;

        void fill(Server server, String method, String url, String nonce) throws JOSEException {
            clock = server.clock;
            proofs = new String[server.pool];
            for (int i = 0; i < proofs.length; i++) {
                proofs[i] = sign(server, method, url, nonce);
            }
            verifier = new DpopVerifier(clock);
            next = 0;
        }

        /** The next proof; call before {@link #verifier()}, which may change when the pool starts over. */
        String next() {
            if (next == proofs.length) {
                verifier = new DpopVerifier(clock);
                next = 0;
            }
            return proofs[next++];
        }

        DpopVerifier verifier() {
            return verifier;
        }
    }

    @State(Scope.Thread)
    public static class HttpProofs extends Proofs {
        @Setup(Level.Trial)
        public void setUp(Server server) throws JOSEException {
            fill(server, "GET", HTTP_URL, null);
        }
    }

    @State(Scope.Thread)
    public static class GatewayProofs extends Proofs {
        static final String NONCE = Base64URL.encode(new byte[32]).toString();

        @Setup(Level.Trial)
        public void setUp(Server server) throws JOSEException {
            fill(server, "GET", GATEWAY_URL, NONCE);
        }
    }

    /** Every API call with a token: token (cached), proof with ath, key binding. */
    @Benchmark
    public DpopVerifier.Proof httpRequest(Server server, HttpProofs proofs) {
        TokenService.AccessClaims claims = server.tokens.verify(server.token);
        String p = proofs.next();
        DpopVerifier.Proof proof = proofs.verifier().verify(p, "GET", HTTP_URL, server.token, null);
        if (!proof.jkt().equals(claims.confirmationJkt())) {
            throw new IllegalStateException("key binding");
        }
        return proof;
    }

    /** session.authenticate on a new connection: token signature (not cached), proof with ath and nonce. */
    @Benchmark
    public DpopVerifier.Proof gatewayAuthenticate(Server server, GatewayProofs proofs) throws Throwable {
        TokenService.AccessClaims claims = (TokenService.AccessClaims) server.verifySignature.invokeExact(server.token);
        String p = proofs.next();
        DpopVerifier.Proof proof = proofs.verifier().verify(p, "GET", GATEWAY_URL, server.token, GatewayProofs.NONCE);
        if (!proof.jkt().equals(claims.confirmationJkt())) {
            throw new IllegalStateException("key binding");
        }
        return proof;
    }

    /** The proof alone (with ath). */
    @Benchmark
    public DpopVerifier.Proof proofVerify(Server server, HttpProofs proofs) {
        String p = proofs.next();
        return proofs.verifier().verify(p, "GET", HTTP_URL, server.token, null);
    }

    /** The token alone, as every request after the first finds it: in TokenService's cache. */
    @Benchmark
    public TokenService.AccessClaims tokenVerifyCached(Server server) {
        return server.tokens.verify(server.token);
    }

    /** The token's signature and claims, as the first use of a token on a node costs. */
    @Benchmark
    public TokenService.AccessClaims tokenVerifySignature(Server server) throws Throwable {
        return (TokenService.AccessClaims) server.verifySignature.invokeExact(server.token);
    }

    /** What the client pays per request: signing one proof (Nimbus on the JDK's ECDSA, as the bench's clients). */
    @Benchmark
    public String proofSign(Server server) throws JOSEException {
        return sign(server, "GET", HTTP_URL, null);
    }

    static String sign(Server server, String method, String url, String nonce) throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString())
                .claim("htm", method)
                .claim("htu", url)
                .issueTime(Date.from(server.now))
                .claim("ath", ath(server.token));
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(server.deviceKey.toPublicJWK()).build(), claims.build());
        jwt.sign(server.signer);
        return jwt.serialize();
    }

    static String ath(String token) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII))).toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
