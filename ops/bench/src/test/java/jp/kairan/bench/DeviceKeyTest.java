package jp.kairan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** The proofs the bench signs are what protocol/DEVICES.md asks for. */
class DeviceKeyTest {

    @Test
    void proofCarriesThePublicKeyAndTheRequestAndVerifies() throws Exception {
        DeviceKey key = DeviceKey.generate();
        SignedJWT proof = SignedJWT.parse(key.proof("POST", "http://127.0.0.1:8080/api/v1/rooms?x=1", "tok", null));

        assertThat(proof.getHeader().getType().getType()).isEqualTo("dpop+jwt");
        assertThat(proof.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        ECKey jwk = (ECKey) proof.getHeader().getJWK();
        assertThat(jwk.isPrivate()).isFalse();
        assertThat(jwk.toJSONObject()).containsOnlyKeys("kty", "crv", "x", "y");
        assertThat(proof.verify(new ECDSAVerifier(jwk))).isTrue();
        assertThat(proof.getSignature().decode()).hasSize(64);

        var claims = proof.getJWTClaimsSet();
        assertThat(claims.getStringClaim("htm")).isEqualTo("POST");
        assertThat(claims.getStringClaim("htu")).isEqualTo("http://127.0.0.1:8080/api/v1/rooms");
        assertThat(claims.getJWTID()).hasSizeLessThanOrEqualTo(64);
        assertThat(claims.getIssueTime()).isCloseTo(new java.util.Date(), 2000);
        assertThat(claims.getStringClaim("ath")).isEqualTo(Base64URL.encode(
                MessageDigest.getInstance("SHA-256").digest("tok".getBytes(StandardCharsets.US_ASCII))).toString());
        assertThat(claims.getClaim("nonce")).isNull();
    }

    @Test
    void gatewayProofCarriesTheNonceAndEachProofIsUnique() throws Exception {
        DeviceKey key = DeviceKey.generate();
        SignedJWT a = SignedJWT.parse(key.proof("GET", "ws://127.0.0.1:8081/ws", "tok", "n0nce"));
        SignedJWT b = SignedJWT.parse(key.proof("GET", "ws://127.0.0.1:8081/ws", "tok", "n0nce"));
        assertThat(a.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n0nce");
        assertThat(a.getJWTClaimsSet().getJWTID()).isNotEqualTo(b.getJWTClaimsSet().getJWTID());
    }

    @Test
    void thumbprintIsRfc7638OverTheRequiredMembers() throws Exception {
        DeviceKey key = DeviceKey.generate();
        var jwk = key.publicJwk();
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + jwk.get("x") + "\",\"y\":\"" + jwk.get("y") + "\"}";
        String expected = Base64URL.encode(MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8))).toString();
        assertThat(key.thumbprint()).isEqualTo(expected);
        assertThat(DeviceKey.parse(key.toJson()).thumbprint()).isEqualTo(expected);
    }
}
