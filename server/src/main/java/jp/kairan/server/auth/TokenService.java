package jp.kairan.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.Me;
import jp.kairan.protocol.api.Session;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.config.AuthConfig;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues and verifies access tokens: JWTs signed with ES256 (Nimbus JOSE+JWT). Signing keys live in the
 * database so that every node shares them; the newest key signs, and a new one is made when it is older than
 * {@link #ROTATION}. Retired keys keep verifying for one more rotation period; the public keys are served as a
 * JWKS ({@link SigningKeyRepository} stores them). A token names a user ({@code sub}), a sign-in session ({@code sid}) and the device ({@code did}) whose key it
 * is bound to ({@code cnf.jkt}, RFC 9449). Verified tokens are remembered for their lifetime (by the token text), so
 * a device's many requests cost one signature check per token, not one per request. Signs and verifies on the
 * calling thread, never inside a transaction. Thread-safe.
 */
public final class TokenService {
    private static final Logger log = LoggerFactory.getLogger(TokenService.class);
    static final Duration ROTATION = Duration.ofDays(30);
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(10);
    static final String AUDIENCE = "kairan";

    private final Database db;
    private final Clock clock;
    private final AuthConfig config;
    private final SigningKeyRepository keys = new SigningKeyRepository();
    private final Map<String, ECDSAVerifier> verifiers = new ConcurrentHashMap<>();
    private volatile List<ECKey> publicKeys = List.of();
    private volatile ECKey signingKey;
    private volatile JWSSigner signer;
    private volatile Instant lastReload = Instant.EPOCH;

    TokenService(Database db, Clock clock, AuthConfig config) {
        this.db = db;
        this.clock = clock;
        this.config = config;
    }

    /** Access-token facts after verification. */
    public record AccessClaims(long userId, long sessionId, Instant expiresAt, String confirmationJkt, Long deviceId) {
    }

    private final com.github.benmanes.caffeine.cache.Cache<String, AccessClaims> verified =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(20_000)
                    .expireAfterWrite(Duration.ofMinutes(15)).build();

    /**
     * Loads the keys, creating or rotating the signing key when due. Blocks; call at start-up. A new key is generated
     * outside the transaction that stores it.
     */
    void start() {
        Instant now = clock.instant();
        if (db.call(tx -> rotationDue(tx, now))) {
            ECKey key = newKey();
            db.call(tx -> rotate(tx, key, now));
        }
        reload();
    }

    private boolean rotationDue(Tx tx, Instant now) {
        return keys.newestActive(tx).map(k -> !k.createdAt().plus(ROTATION).isAfter(now)).orElse(true);
    }

    private Void rotate(Tx tx, ECKey key, Instant now) {
        Optional<SigningKeyRepository.SigningKey> newest = keys.newestActive(tx);
        if (newest.isPresent() && newest.get().createdAt().plus(ROTATION).isAfter(now)) {
            return null; // another node rotated meanwhile
        }
        keys.insert(tx, key.getKeyID(), key.toJSONString(), key.toPublicJWK().toJSONString(), now);
        newest.ifPresent(k -> keys.retire(tx, k.kid(), now));
        log.info("created token signing key kid={}", key.getKeyID());
        return null;
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).algorithm(JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an ES256 key", e);
        }
    }

    private void reload() {
        Instant cutoff = clock.instant().minus(ROTATION);
        List<SigningKeyRepository.SigningKey> rows = db.call(tx -> keys.usable(tx, cutoff));
        List<ECKey> pub = new ArrayList<>();
        ECKey newest = null;
        try {
            for (SigningKeyRepository.SigningKey r : rows) {
                ECKey k = ECKey.parse(r.privateJwk());
                if (newest == null && r.retiredAt() == null) {
                    newest = k;
                }
                pub.add(k.toPublicJWK());
                verifiers.computeIfAbsent(k.getKeyID(), kid -> verifier(k));
            }
            if (newest == null) {
                throw new IllegalStateException("no active signing key");
            }
            signer = new ECDSASigner(newest);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("stored signing key is unreadable", e);
        }
        signingKey = newest;
        publicKeys = List.copyOf(pub);
        lastReload = clock.instant();
    }

    private static ECDSAVerifier verifier(ECKey k) {
        try {
            return new ECDSAVerifier(k.toECPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("bad public key " + k.getKeyID(), e);
        }
    }

    /**
     * Signs an access token for {@code userId} in sign-in session {@code sessionId}.
     *
     * @param confirmationJkt RFC 7638 thumbprint of the device key the token is bound to
     * @param deviceId        the device
     */
    public String issue(long userId, long sessionId, String confirmationJkt, long deviceId) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .audience(AUDIENCE)
                .subject(Long.toString(userId))
                .claim("sid", Long.toString(sessionId))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(config.accessTokenTtl())))
                .jwtID(UUID.randomUUID().toString());
        claims.claim("cnf", Map.of("jkt", confirmationJkt)).claim("did", Long.toString(deviceId));
        ECKey key = signingKey;
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return jwt.serialize();
    }

    /**
     * A new session for the client: an access token for {@code userId} in session {@code sessionId}, bound to the
     * device's key, signed now. Call after the transaction that started or rotated the session committed.
     */
    Session session(long userId, long sessionId, String confirmationJkt, long deviceId, Me me) {
        return new Session(issue(userId, sessionId, confirmationJkt, deviceId), "DPoP", config.accessTokenTtl().toSeconds(), me);
    }

    /**
     * Signs a document that is not a token (an audit checkpoint, an export manifest) with the current signing key:
     * a compact JWS with header {@code typ} = {@code type} and {@code kid}, verifiable with the published JWKS.
     */
    public String signDocument(String type, String payloadJson) {
        ECKey key = signingKey;
        com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.getKeyID()).type(new JOSEObjectType(type)).build(), new com.nimbusds.jose.Payload(payloadJson));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a " + type, e);
        }
        return jws.serialize();
    }

    /** Verifies signature, issuer, audience and expiry; throws {@code unauthenticated} or {@code token_expired}. */
    public AccessClaims verify(String token) {
        AccessClaims known = verified.getIfPresent(token);
        if (known != null) {
            if (!known.expiresAt().plus(CLOCK_SKEW).isAfter(clock.instant())) {
                throw new KairanException(ErrorCode.TOKEN_EXPIRED, "access token expired at " + known.expiresAt());
            }
            return known;
        }
        AccessClaims claims = verifySignature(token);
        verified.put(token, claims);
        return claims;
    }

    private AccessClaims verifySignature(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
                throw unauthenticated("unexpected algorithm");
            }
            if (!JOSEObjectType.JWT.equals(jwt.getHeader().getType())) {
                throw unauthenticated("not an access token"); // e.g. a signed audit checkpoint
            }
            String kid = jwt.getHeader().getKeyID();
            ECDSAVerifier verifier = kid == null ? null : verifiers.get(kid);
            if (verifier == null && kid != null && lastReload.plus(RELOAD_INTERVAL).isBefore(clock.instant())) {
                reload();
                verifier = verifiers.get(kid);
            }
            if (verifier == null || !jwt.verify(verifier)) {
                throw unauthenticated("bad signature or unknown key");
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!config.issuer().equals(c.getIssuer()) || c.getAudience() == null || !c.getAudience().contains(AUDIENCE)
                    || c.getSubject() == null || c.getStringClaim("sid") == null || c.getExpirationTime() == null) {
                throw unauthenticated("missing or wrong claims");
            }
            Instant exp = c.getExpirationTime().toInstant();
            if (!exp.plus(CLOCK_SKEW).isAfter(clock.instant())) {
                throw new KairanException(ErrorCode.TOKEN_EXPIRED, "access token expired at " + exp);
            }
            Object cnf = c.getClaim("cnf");
            String jkt = cnf instanceof Map<?, ?> m && m.get("jkt") instanceof String s ? s : null;
            String did = c.getClaim("did") instanceof String s ? s : null;
            if (jkt == null || did == null) {
                throw unauthenticated("not bound to a device");
            }
            return new AccessClaims(Long.parseLong(c.getSubject()), Long.parseLong(c.getStringClaim("sid")), exp, jkt,
                    Long.parseLong(did));
        } catch (ParseException | JOSEException | NumberFormatException e) {
            throw unauthenticated("malformed token");
        }
    }

    /** The public signing keys as a JWKS document. */
    public String jwksJson() {
        return new JWKSet(new ArrayList<>(publicKeys)).toString(true);
    }

    private static KairanException unauthenticated(String why) {
        return new KairanException(ErrorCode.UNAUTHENTICATED, "access token rejected: " + why);
    }
}
