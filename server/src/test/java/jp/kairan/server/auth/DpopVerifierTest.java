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

    /** Refused for {@code rule}, which the client reads in the error's detail. */
    private void refused(String proof, DpopVerifier.Rule rule, String why) {
        assertThatThrownBy(() -> verifier.verify(proof, "GET", URL, "token", null)).as(why)
                .isInstanceOfSatisfying(DpopVerifier.Rejected.class, e -> {
                    assertThat(e.rule()).as(why).isEqualTo(rule);
                    assertThat(e.detail()).as(why).isEqualTo(rule.wireName());
                    assertThat(e.code()).isEqualTo(jp.kairan.protocol.ErrorCode.DPOP_INVALID);
                    assertThat(e.replay()).isEqualTo(rule == DpopVerifier.Rule.REPLAY);
                });
    }

    private static String b64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A proof with {@code header} swapped in (the signature then no longer matters: header rules come first). */
    private String withHeader(String headerJson) {
        String[] parts = good().split("\\.");
        return b64(headerJson) + "." + parts[1] + "." + parts[2];
    }

    @Test
    void everyBrokenRuleIsRefused() {
        refused(null, DpopVerifier.Rule.MISSING, "missing");
        refused("", DpopVerifier.Rule.MISSING, "empty");
        refused("a.b.c", DpopVerifier.Rule.MALFORMED, "not a JWS");
        refused("x".repeat(3000), DpopVerifier.Rule.MALFORMED, "too long");
        refused(proof(h -> h.type(JOSEObjectType.JWT), c -> { }), DpopVerifier.Rule.TYP, "typ");
        String jwk = key.toPublicJWK().toJSONString();
        refused(withHeader("{\"typ\":\"dpop+jwt\",\"alg\":\"ES384\",\"jwk\":" + jwk + "}"), DpopVerifier.Rule.ALG, "alg");
        refused(withHeader("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\"}"), DpopVerifier.Rule.JWK, "no jwk");
        refused(proof(h -> { }, c -> c.claim("htm", "POST")), DpopVerifier.Rule.HTM, "htm");
        refused(proof(h -> { }, c -> c.claim("htu", "https://chat.city.example.jp/api/v1/orgs")), DpopVerifier.Rule.HTU, "htu path");
        refused(proof(h -> { }, c -> c.claim("htu", "https://evil.example/api/v1/rooms")), DpopVerifier.Rule.HTU, "htu host");
        refused(proof(h -> { }, c -> c.claim("htu", "http://chat.city.example.jp/api/v1/rooms")), DpopVerifier.Rule.HTU, "htu scheme");
        refused(proof(h -> { }, c -> c.claim("htu", null)), DpopVerifier.Rule.HTU, "no htu");
        refused(proof(h -> { }, c -> c.issueTime(Date.from(clock.instant().minus(Duration.ofMinutes(3))))), DpopVerifier.Rule.IAT, "old");
        refused(proof(h -> { }, c -> c.issueTime(Date.from(clock.instant().plus(Duration.ofMinutes(2))))), DpopVerifier.Rule.IAT, "future");
        refused(proof(h -> { }, c -> c.issueTime(null)), DpopVerifier.Rule.IAT, "no iat");
        refused(proof(h -> { }, c -> c.jwtID(null)), DpopVerifier.Rule.JTI, "no jti");
        refused(proof(h -> { }, c -> c.jwtID("j".repeat(65))), DpopVerifier.Rule.JTI, "long jti");
        refused(proof(h -> { }, c -> c.claim("ath", DpopVerifier.ath("another token"))), DpopVerifier.Rule.ATH, "ath");
        refused(proof(h -> { }, c -> c.claim("ath", null)), DpopVerifier.Rule.ATH, "no ath with a token");
        // Signed by one key, naming another.
        ECKey other = generate(Curve.P_256);
        refused(proof(other, h -> h.jwk(key.toPublicJWK()), c -> { }), DpopVerifier.Rule.SIGNATURE, "signature by another key");
        // A key of another curve in the header.
        ECKey p384 = generate(Curve.P_384);
        refused(proof(h -> h.jwk(p384.toPublicJWK()), c -> { }), DpopVerifier.Rule.JWK, "P-384 key");
    }

    @Test
    void theDetailNamesTheRuleOnlyNeverTheProof() {
        String p = proof(h -> { }, c -> c.claim("htm", "POST"));
        assertThatThrownBy(() -> verifier.verify(p, "GET", URL, "token", null))
                .isInstanceOfSatisfying(DpopVerifier.Rejected.class, e -> assertThat(e.detail()).isEqualTo("htm"));
        // Every wire name is a short lower-case word, distinct from the others.
        assertThat(java.util.Arrays.stream(DpopVerifier.Rule.values()).map(DpopVerifier.Rule::wireName).distinct())
                .hasSize(DpopVerifier.Rule.values().length).allMatch(n -> n.matches("[a-z]+"));
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
        refused(p, DpopVerifier.Rule.REPLAY, "replayed");
        // Junk never enters the replay cache: a refused proof can be fixed and sent.
        String late = proof(h -> { }, c -> c.issueTime(Date.from(clock.instant().plusSeconds(90))));
        refused(late, "future");
        clock.advance(Duration.ofSeconds(60));
        assertThat(verifier.verify(late, "GET", URL, "token", null).jti()).isNotEmpty();
    }

    @Test
    void theGatewayNonceMustMatch() {
        String p = proof(h -> { }, c -> c.claim("nonce", "n-1"));
        assertThatThrownBy(() -> verifier.verify(p, "GET", URL, "token", "n-2"))
                .isInstanceOfSatisfying(DpopVerifier.Rejected.class, e -> assertThat(e.detail()).isEqualTo("nonce"));
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
