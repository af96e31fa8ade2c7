package jp.kairan.protocol.api;

import java.util.Map;

/**
 * {@code POST /api/v1/auth/device}: registers the key that signs this request's DPoP proof.
 *
 * @param ticket    the sign-in ticket at step {@code device_register}
 * @param name      the device name the user typed, 1–64 characters
 * @param publicKey the public key as a JWK ({@code kty EC}, {@code crv P-256}, {@code x}, {@code y})
 */
public record DeviceRegistration(String ticket, String name, Map<String, Object> publicKey) {
    @Override
    public String toString() {
        return "DeviceRegistration[ticket=<masked>, name=" + name + "]";
    }
}
