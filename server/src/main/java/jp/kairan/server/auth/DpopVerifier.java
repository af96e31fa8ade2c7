package jp.kairan.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.server.error.KairanException;

/**
 * Verifies DPoP proofs (RFC 9449) as {@code protocol/DEVICES.md} specifies: a compact JWS of type
 * {@code dpop+jwt}, ES256, signed by the P-256 public key in its header, naming the request's method and URL,
 * issued within [{@link #MAX_AGE} ago, {@link #MAX_FUTURE} ahead], with a {@code jti} not seen before in that
 * window, and — when a token or a nonce is involved — their hash and value.
 *
 * <p>Replays are caught per node in a bounded cache ({@link #REPLAY_CAPACITY} proofs); a proof is remembered
 * only after everything else checked out, so junk cannot crowd real proofs out. Verifiers are cached by key
 * thumbprint: a device signs many proofs with one key. Thread-safe; never blocks.
 */
public final class DpopVerifier {
    /** Oldest accepted {@code iat}. */
    public static final Duration MAX_AGE = Duration.ofSeconds(120);
    /** Newest accepted {@code iat} (clock skew of the client). */
    public static final Duration MAX_FUTURE = Duration.ofSeconds(60);
    static final int REPLAY_CAPACITY = 500_000;
    static final int MAX_PROOF_CHARS = 2048;
    static final int MAX_JTI_CHARS = 64;
    private static final JOSEObjectType TYPE = new JOSEObjectType("dpop+jwt");

    private final Clock clock;
    private final Cache<String, Boolean> seen;
    private final Cache<String, ECDSAVerifier> verifiers;

    public DpopVerifier(Clock clock) {
        this.clock = clock;
        this.seen = Caffeine.newBuilder().expireAfterWrite(MAX_AGE.plus(MAX_FUTURE)).maximumSize(REPLAY_CAPACITY).build();
        this.verifiers = Caffeine.newBuilder().maximumSize(20_000).build();
    }

    /**
     * A verified proof.
     *
     * @param jkt      RFC 7638 thumbprint of the signing key
     * @param jti      the proof's unique id
     * @param issuedAt the proof's {@code iat}
     * @param key      the public key
     */
    public record Proof(String jkt, String jti, Instant issuedAt, ECKey key) {
    }

    /**
     * The rule a refused proof broke, sent to the client as the error's {@code detail} (its wire name only: never
     * any part of the proof or the token). Stable: clients and operators may match on it (DEVICES.md).
     */
    public enum Rule {
        /** No proof where one is needed. */
        MISSING("missing"),
        /** Not a compact JWS, or over {@link #MAX_PROOF_CHARS} characters. */
        MALFORMED("malformed"),
        /** The header's {@code typ} is not {@code dpop+jwt}. */
        TYP("typ"),
        /** The header's {@code alg} is not {@code ES256}. */
        ALG("alg"),
        /** The header's {@code jwk} is missing, private, not EC P-256 or not a point on the curve. */
        JWK("jwk"),
        /** The {@code jti} is missing, empty or over {@link #MAX_JTI_CHARS} characters. */
        JTI("jti"),
        /** The {@code htm} is not the request's method. */
        HTM("htm"),
        /** The {@code htu} does not name the request's URL. */
        HTU("htu"),
        /** The {@code iat} is missing or outside [{@link #MAX_AGE} ago, {@link #MAX_FUTURE} ahead]. */
        IAT("iat"),
        /** The {@code ath} is not the hash of the access token presented with it. */
        ATH("ath"),
        /** The {@code nonce} is not the one the server handed out (gateway). */
        NONCE("nonce"),
        /** The signature does not verify with the header's key. */
        SIGNATURE("signature"),
        /** A valid proof, but signed by another key than the token's, the device's or the registered one. */
        KEY("key"),
        /** The proof was used before. */
        REPLAY("replay");

        private final String wireName;

        Rule(String wireName) {
            this.wireName = wireName;
        }

        /** The name in the error's {@code detail}. */
        public String wireName() {
            return wireName;
        }
    }

    /** Why a proof was refused ({@code dpop_invalid}, {@code detail} the rule): a replay is worth an audit event, the rest is noise. */
    public static final class Rejected extends KairanException {
        private static final long serialVersionUID = 1L;
        private final transient Rule rule;

        /**
         * @param rule the rule broken, for the client
         * @param why  for the log only
         */
        public Rejected(Rule rule, String why) {
            super(ErrorCode.DPOP_INVALID, "DPoP proof rejected (" + rule.wireName() + "): " + why);
            this.rule = rule;
        }

        public Rule rule() {
            return rule;
        }

        public boolean replay() {
            return rule == Rule.REPLAY;
        }

        @Override
        public String detail() {
            return rule.wireName();
        }
    }

    /**
     * Verifies a proof for one request.
     *
     * @param proof       the {@code DPoP} header value (null or blank: rejected)
     * @param method      the request method, e.g. {@code POST}
     * @param url         the request URL as the client saw it (scheme, host, path), without query
     * @param accessToken the access token presented with the proof, or null when none is
     * @param nonce       the nonce the server handed out and expects back, or null when none
     * @throws Rejected ({@code dpop_invalid}) when any rule is broken
     */
    public Proof verify(String proof, String method, String url, String accessToken, String nonce) {
        return remember(check(proof, method, url, accessToken, nonce));
    }

    /**
     * Verifies a proof as {@link #verify} does, but does not yet remember it: for a proof checked before a
     * transaction that may or may not use it. Pass it to {@link #remember} when it is used.
     *
     * @throws Rejected ({@code dpop_invalid}) when any rule but the replay rule is broken
     */
    Proof check(String proof, String method, String url, String accessToken, String nonce) {
        if (proof == null || proof.isBlank()) {
            throw new Rejected(Rule.MISSING, "no proof");
        }
        if (proof.length() > MAX_PROOF_CHARS) {
            throw new Rejected(Rule.MALFORMED, "proof over " + MAX_PROOF_CHARS + " characters");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(proof.strip());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Rejected(Rule.MALFORMED, "not a JWS");
        }
        JWSHeader header = jwt.getHeader();
        if (!TYPE.equals(header.getType())) {
            throw new Rejected(Rule.TYP, "typ is not dpop+jwt");
        }
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw new Rejected(Rule.ALG, "alg is not ES256");
        }
        ECKey key = publicKey(header.getJWK());
        String jkt = thumbprint(key);
        String jti = stringClaim(claims, "jti");
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_CHARS) {
            throw new Rejected(Rule.JTI, "jti missing or too long");
        }
        String htm = stringClaim(claims, "htm");
        if (!method.equals(htm)) {
            throw new Rejected(Rule.HTM, "htm " + htm + " is not " + method);
        }
        String htu = stringClaim(claims, "htu");
        if (htu == null || !sameUrl(htu, url)) {
            throw new Rejected(Rule.HTU, "htu does not name this request");
        }
        Instant iat = issuedAt(claims);
        Instant now = clock.instant();
        if (iat.isBefore(now.minus(MAX_AGE)) || iat.isAfter(now.plus(MAX_FUTURE))) {
            throw new Rejected(Rule.IAT, "iat " + iat + " outside the accepted window at " + now);
        }
        if (accessToken != null && !ath(accessToken).equals(stringClaim(claims, "ath"))) {
            throw new Rejected(Rule.ATH, "ath does not match the access token");
        }
        if (nonce != null && !nonce.equals(stringClaim(claims, "nonce"))) {
            throw new Rejected(Rule.NONCE, "nonce does not match");
        }
        // The claims are checked first: they are cheap, the signature is not.
        ECDSAVerifier verifier = verifiers.get(jkt, t -> newVerifier(key));
        try {
            if (!jwt.verify(verifier)) {
                throw new Rejected(Rule.SIGNATURE, "bad signature");
            }
        } catch (JOSEException e) {
            throw new Rejected(Rule.SIGNATURE, "bad signature");
        }
        return new Proof(jkt, jti, iat, key);
    }

    /**
     * Remembers a checked proof as used. Cheap (no signature work).
     *
     * @throws Rejected ({@code dpop_invalid}, a replay) when the proof was used before
     */
    Proof remember(Proof p) {
        if (seen.asMap().putIfAbsent(p.jkt() + ' ' + p.jti(), Boolean.TRUE) != null) {
            throw new Rejected(Rule.REPLAY, "proof replayed");
        }
        return p;
    }

    /**
     * A public P-256 key as DEVICES.md accepts it: {@code kty EC}, {@code crv P-256}, no private part, a point on
     * the curve. Used for proofs' header keys and for keys sent at registration.
     */
    public static ECKey publicKey(JWK jwk) {
        if (!(jwk instanceof ECKey ec)) {
            throw new Rejected(Rule.JWK, "the proof's jwk is missing or not an EC key");
        }
        if (ec.isPrivate()) {
            throw new Rejected(Rule.JWK, "the jwk contains a private key");
        }
        if (!Curve.P_256.equals(ec.getCurve())) {
            throw new Rejected(Rule.JWK, "the key is not on P-256");
        }
        try {
            // Parses x and y and checks the point lies on the curve (invalid-curve attacks).
            if (!com.nimbusds.jose.crypto.utils.ECChecks.isPointOnCurve(ec.toECPublicKey(), Curve.P_256.toECParameterSpec())) {
                throw new Rejected(Rule.JWK, "the key is not a point on P-256");
            }
        } catch (JOSEException | IllegalArgumentException e) {
            throw new Rejected(Rule.JWK, "the key's coordinates are malformed");
        }
        return new ECKey.Builder(Curve.P_256, ec.getX(), ec.getY()).build();
    }

    /** RFC 7638 SHA-256 thumbprint, base64url without padding. */
    public static String thumbprint(ECKey key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** The {@code ath} of a token: base64url(SHA-256(ASCII token)). */
    public static String ath(String accessToken) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /**
     * Whether two URLs name the same resource for DPoP: scheme and host compared case-insensitively, default
     * ports dropped, paths equal, query and fragment ignored (RFC 9449 §4.3).
     */
    static boolean sameUrl(String a, String b) {
        String na = normalize(a);
        return na != null && na.equals(normalize(b));
    }

    private static String normalize(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            String host = u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT);
            if (scheme == null || host == null) {
                return null;
            }
            int port = u.getPort();
            boolean defaultPort = port == -1 || (port == 80 && (scheme.equals("http") || scheme.equals("ws")))
                    || (port == 443 && (scheme.equals("https") || scheme.equals("wss")));
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private ECDSAVerifier newVerifier(ECKey key) {
        try {
            return new ECDSAVerifier(key);
        } catch (JOSEException e) {
            throw new Rejected(Rule.JWK, "unusable key");
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v instanceof String s ? s : null;
    }

    private static Instant issuedAt(JWTClaimsSet claims) {
        Object v = claims.getClaim("iat");
        if (v instanceof java.util.Date d) {
            return d.toInstant();
        }
        if (v instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        throw new Rejected(Rule.IAT, "iat missing");
    }
}
