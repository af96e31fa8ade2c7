package jp.kairan.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One device's key, as protocol/DEVICES.md describes it: an ECDSA P-256 key pair, the public half sent as a JWK
 * ({@code kty, crv, x, y}), identified by its RFC 7638 thumbprint, and DPoP proofs (RFC 9449) signed with it for
 * every call. The bench keeps the private key in memory (and, for reuse, in the users file under target/), where a
 * browser keeps a non-extractable WebCrypto key. Thread-safe.
 */
final class DeviceKey {
    private static final JOSEObjectType DPOP = new JOSEObjectType("dpop+jwt");

    private final ECKey key;
    private final JWSSigner signer;
    private final JWSHeader header;
    private final String thumbprint;

    private DeviceKey(ECKey key) {
        this.key = key;
        try {
            this.signer = new ECDSASigner(key);
            this.thumbprint = key.computeThumbprint("SHA-256").toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("Unusable P-256 key", e);
        }
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(DPOP).jwk(publicOnly(key)).build();
    }

    /** A new key pair. */
    static DeviceKey generate() {
        try {
            return new DeviceKey(new ECKeyGenerator(Curve.P_256).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate a P-256 key", e);
        }
    }

    /** The key {@link #toJson()} wrote. */
    static DeviceKey parse(String privateJwkJson) {
        try {
            return new DeviceKey(ECKey.parse(privateJwkJson));
        } catch (ParseException e) {
            throw new IllegalArgumentException("Not an EC private JWK", e);
        }
    }

    /** The private JWK, for the users file (keep it under target/). */
    String toJson() {
        return key.toJSONString();
    }

    /** The public key as {@code POST /auth/device} takes it: exactly kty, crv, x, y. */
    Map<String, Object> publicJwk() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", "P-256");
        jwk.put("x", key.getX().toString());
        jwk.put("y", key.getY().toString());
        return jwk;
    }

    /** RFC 7638 thumbprint (SHA-256, base64url): the device's {@code jkt}. */
    String thumbprint() {
        return thumbprint;
    }

    /**
     * A DPoP proof for one request.
     *
     * @param method      HTTP method, upper case ({@code GET} for the gateway)
     * @param url         the request URL; query and fragment are dropped
     * @param accessToken the token the request carries (adds {@code ath}), or null
     * @param nonce       the gateway's nonce, or null
     */
    String proof(String method, String url, String accessToken, String nonce) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString())
                .claim("htm", method)
                .claim("htu", htu(url))
                .issueTime(new Date(System.currentTimeMillis() / 1000 * 1000));
        if (accessToken != null) {
            claims.claim("ath", ath(accessToken));
        }
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a DPoP proof", e);
        }
        return jwt.serialize();
    }

    /** base64url(SHA-256(token)), the proof's {@code ath}. */
    static String ath(String accessToken) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(hash).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL without query and fragment. */
    static String htu(String url) {
        URI u = URI.create(url);
        if (u.getRawQuery() == null && u.getRawFragment() == null) {
            return url;
        }
        return u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
    }

    private static ECKey publicOnly(ECKey key) {
        return new ECKey.Builder(Curve.P_256, key.getX(), key.getY()).build();
    }

    @Override
    public String toString() {
        return "DeviceKey[" + thumbprint + "]";
    }
}
