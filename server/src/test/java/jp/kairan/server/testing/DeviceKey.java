package jp.kairan.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import jp.kairan.server.auth.DpopVerifier;

/**
 * A test device: a P-256 key pair that signs DPoP proofs as the web client does (DEVICES.md), with {@code iat}
 * from the server's clock. Tokens and refresh cookies handed to a device are remembered here, so test helpers can
 * prove them without every test passing keys around. Thread-safe.
 */
public final class DeviceKey {
    private static final Map<String, DeviceKey> BY_TOKEN = new ConcurrentHashMap<>();

    private final ECKey key;
    private final Clock clock;

    private DeviceKey(ECKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** A new key pair whose proofs are dated by {@code clock}. */
    public static DeviceKey generate(Clock clock) {
        try {
            return new DeviceKey(new ECKeyGenerator(Curve.P_256).generate(), clock);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Remembers that {@code tokenOrCookie} belongs to this device. */
    public DeviceKey bind(String tokenOrCookie) {
        if (tokenOrCookie != null) {
            BY_TOKEN.put(tokenOrCookie, this);
        }
        return this;
    }

    /** The device an access token or refresh cookie was handed to, or null. */
    public static DeviceKey forToken(String tokenOrCookie) {
        return tokenOrCookie == null ? null : BY_TOKEN.get(tokenOrCookie);
    }

    /** The public key as the registration call sends it. */
    public Map<String, Object> publicJwk() {
        return key.toPublicJWK().toJSONObject();
    }

    public String jkt() {
        return DpopVerifier.thumbprint(key.toPublicJWK());
    }

    /** A proof for {@code method url} (query dropped), over {@code accessToken} and {@code nonce} when not null. */
    public String proof(String method, String url, String accessToken, String nonce) {
        return proof(method, url, accessToken, nonce, UUID.randomUUID().toString(), clock.instant());
    }

    /** A proof with every claim chosen by the caller (for tests of bad proofs). */
    public String proof(String method, String url, String accessToken, String nonce, String jti, java.time.Instant iat) {
        URI u = URI.create(url);
        String htu = u.getScheme() + "://" + u.getRawAuthority() + u.getRawPath();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(jti).claim("htm", method).claim("htu", htu)
                .issueTime(Date.from(iat));
        if (accessToken != null) {
            claims.claim("ath", DpopVerifier.ath(accessToken));
        }
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
