package jp.kairan.server.auth;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * QR codes as small self-contained SVG, for showing a TOTP enrollment URI in the browser.
 * Error correction level M, a quiet zone of four modules, UTF-8 text. Stateless and thread-safe.
 */
final class QrCodes {
    static final int QUIET_ZONE_MODULES = 4;

    private static final Map<EncodeHintType, Object> ASCII_HINTS = Map.of(
            EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
            EncodeHintType.MARGIN, QUIET_ZONE_MODULES);
    /** Non-ASCII text is encoded as UTF-8 behind an ECI marker; ASCII text goes without one, as old readers prefer. */
    private static final Map<EncodeHintType, Object> UTF8_HINTS = Map.of(
            EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
            EncodeHintType.MARGIN, QUIET_ZONE_MODULES,
            EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());

    private QrCodes() {
    }

    /**
     * The QR code of {@code text} as an SVG document: one white background {@code <rect>} and one
     * black {@code <path>} made of a rectangle per horizontal run of dark modules, one user unit per
     * module, scaled by the {@code viewBox}. No scripts, styles, or external references.
     *
     * @throws IllegalArgumentException if {@code text} is empty or too long for a QR code
     */
    static String svg(String text) {
        BitMatrix matrix = matrix(text);
        int width = matrix.getWidth();
        int height = matrix.getHeight();
        StringBuilder d = new StringBuilder();
        for (int y = 0; y < height; y++) {
            int x = 0;
            while (x < width) {
                if (!matrix.get(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < width && matrix.get(x, y)) {
                    x++;
                }
                int run = x - start;
                d.append('M').append(start).append(' ').append(y)
                        .append('h').append(run).append("v1h-").append(run).append('z');
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + width + " " + height
                + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"" + width + "\" height=\"" + height + "\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + d + "\"/></svg>";
    }

    /** The modules of the QR code of {@code text}, quiet zone included; {@code true} is dark. */
    static BitMatrix matrix(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("QR code text is empty");
        }
        try {
            // Size 0 asks for the smallest matrix: one bit per module.
            boolean ascii = text.chars().allMatch(c -> c < 0x80);
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, ascii ? ASCII_HINTS : UTF8_HINTS);
        } catch (WriterException e) {
            throw new IllegalArgumentException("Text of " + text.length() + " characters does not fit in a QR code", e);
        }
    }
}
