package jp.kairan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.function.Consumer;
import jp.kairan.server.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** DPoP proof rules of DEVICES.md, one by one. */
class DpopVerifierTest {
    private static final String URL = "https://chat.city.example.jp/api/v1/rooms";
    private final MutableClock clock = new MutableClock();
    private final DpopVerifier verifier = new DpopVerifier(clock);
    private final ECKey key = generate(Curve.P_256);

    private static ECKey generate(Curve curve) {
        try {
            return new ECKeyGenerator(curve).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String proof(Consumer<JWSHeader.Builder> header, Consumer<JWTClaimsSet.Builder> claims) {
        return proof(key, header, claims);
    }

    private String proof(ECKey signer, Consumer<JWSHeader.Builder> header, Consumer<JWTClaimsSet.Builder> claims) {
        JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt")).jwk(signer.toPublicJWK());
        header.accept(h);
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().jwtID(java.util.UUID.randomUUID().toString()).claim("htm", "GET")
                .claim("htu", URL).issueTime(Date.from(clock.instant())).claim("ath", DpopVerifier.ath("token"));
        claims.accept(c);
        SignedJWT jwt = new SignedJWT(h.build(), c.build());
        try {
            jwt.sign(new ECDSASigner(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private String good() {
        return proof(h -> { }, c -> { });
    }

    private void refused(String proof, String why) {
        assertThatThrownBy(() -> verifier.verify(proof, "GET", URL, "token", null)).as(why)
                .isInstanceOf(DpopVerifier.Rejected.class).hasMessageContaining("DPoP proof rejected");
    }

    @Test
    void aGoodProofNamesItsKeysThumbprint() throws Exception {
        DpopVerifier.Proof p = verifier.verify(good(), "GET", URL, "token", null);
        assertThat(p.jkt()).isEqualTo(key.toPublicJWK().computeThumbprint().toString());
        // Query strings and default ports do not matter; case of scheme and host neither.
        assertThat(verifier.verify(good(), "GET", "HTTPS://Chat.City.Example.JP:443/api/v1/rooms?limit=5", "token", null).jkt())
                .isEqualTo(p.jkt());
    }

    @Test
    void everyBrokenRuleIsRefused() {
        refused(null, "missing");
        refused("", "empty");
        refused("a.b.c", "not a JWS");
        refused("x".repeat(3000), "too long");
        refused(proof(h -> h.type(JOSEObjectType.JWT), c -> { }), "typ");
        refused(proof(h -> { }, c -> c.claim("htm", "POST")), "htm");
        refused(proof(h -> { }, c -> c.claim("htu", "https://chat.city.example.jp/api/v1/orgs")), "htu path");
        refused(proof(h -> { }, c -> c.claim("htu", "https://evil.example/api/v1/rooms")), "htu host");
        refused(proof(h -> { }, c -> c.claim("htu", "http://chat.city.example.jp/api/v1/rooms")), "htu scheme");
        refused(proof(h -> { }, c -> c.issueTime(Date.from(clock.instant().minus(Duration.ofMinutes(3))))), "old");
        refused(proof(h -> { }, c -> c.issueTime(Date.from(clock.instant().plus(Duration.ofMinutes(2))))), "future");
        refused(proof(h -> { }, c -> c.issueTime(null)), "no iat");
        refused(proof(h -> { }, c -> c.jwtID(null)), "no jti");
        refused(proof(h -> { }, c -> c.jwtID("j".repeat(65))), "long jti");
        refused(proof(h -> { }, c -> c.claim("ath", DpopVerifier.ath("another token"))), "ath");
        refused(proof(h -> { }, c -> c.claim("ath", null)), "no ath with a token");
        // Signed by one key, naming another.
        ECKey other = generate(Curve.P_256);
        refused(proof(other, h -> h.jwk(key.toPublicJWK()), c -> { }), "signature by another key");
        // A key of another curve in the header.
        ECKey p384 = generate(Curve.P_384);
        refused(proof(h -> h.jwk(p384.toPublicJWK()), c -> { }), "P-384 key");
    }

    @Test
    void keysOfOtherCurvesOrOffTheCurveAreRefused() throws Exception {
        assertThatThrownBy(() -> DpopVerifier.publicKey(generate(Curve.P_384).toPublicJWK())).hasMessageContaining("P-256");
        Map<String, Object> offCurve = key.toPublicJWK().toJSONObject();
        offCurve.put("y", offCurve.get("x"));
        // Nimbus refuses a point off the curve while parsing; registration and proofs both parse first.
        assertThatThrownBy(() -> JWK.parse(offCurve)).isInstanceOf(java.text.ParseException.class);
        assertThat(DpopVerifier.publicKey(key.toPublicJWK()).toJSONObject()).isEqualTo(key.toPublicJWK().toJSONObject());
    }

    @Test
    void aProofIsGoodOnce() {
        String p = good();
        verifier.verify(p, "GET", URL, "token", null);
        assertThatThrownBy(() -> verifier.verify(p, "GET", URL, "token", null))
                .isInstanceOfSatisfying(DpopVerifier.Rejected.class, e -> assertThat(e.replay()).isTrue());
        // Junk never enters the replay cache: a refused proof can be fixed and sent.
        String late = proof(h -> { }, c -> c.issueTime(Date.from(clock.instant().plusSeconds(90))));
        refused(late, "future");
        clock.advance(Duration.ofSeconds(60));
        assertThat(verifier.verify(late, "GET", URL, "token", null).jti()).isNotEmpty();
    }

    @Test
    void theGatewayNonceMustMatch() {
        String p = proof(h -> { }, c -> c.claim("nonce", "n-1"));
        assertThatThrownBy(() -> verifier.verify(p, "GET", URL, "token", "n-2")).isInstanceOf(DpopVerifier.Rejected.class);
        assertThat(verifier.verify(p, "GET", URL, "token", "n-1").jkt()).isNotEmpty();
    }

    @Test
    void thumbprintFollowsRfc7638() throws Exception {
        // RFC 7638's method on an EC key, computed by hand: SHA-256 of the members crv, kty, x, y in order.
        ECKey k = ECKey.parse("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}");
        byte[] json = ("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String expected = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(json));
        assertThat(DpopVerifier.thumbprint(k)).isEqualTo(expected);
    }
}
