package jp.kairan.protocol.api;

/**
 * A TOTP secret to enrol in an authenticator app.
 *
 * @param secret base32 secret, for manual entry
 * @param uri    {@code otpauth://totp/…} URI
 * @param qrSvg  the URI as a QR code, SVG markup
 */
public record TotpEnrolment(String secret, String uri, String qrSvg) {
}
