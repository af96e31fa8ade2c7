package jp.kairan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.Result;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.security.SecureRandom;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QrCodesTest {
    private static final int PIXELS_PER_MODULE = 4;
    private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern PATH_DATA = Pattern.compile("<path fill=\"#000\" d=\"([^\"]*)\"/>");
    private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");

    @Test
    void svg_decodesBackToAnOtpauthUri() throws Exception {
        String uri = new Totp().otpauthUri("Kairan", "sato@city.example.lg.jp", Totp.newSecret(new SecureRandom()));

        assertThat(decode(renderSvg(QrCodes.svg(uri)))).isEqualTo(uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "Kairan 回覧板", "otpauth://totp/%E5%9B%9E%E8%A6%A7:%E4%BD%90%E8%97%A4?secret=ABC&issuer=%E5%9B%9E%E8%A6%A7"})
    void svgAndMatrix_decodeBackToTheSameText(String text) throws Exception {
        assertThat(decode(renderSvg(QrCodes.svg(text)))).isEqualTo(text);
        assertThat(decode(renderMatrix(QrCodes.matrix(text)))).isEqualTo(text);
    }

    @Test
    void svg_isOneCompactSelfContainedPath() {
        String svg = QrCodes.svg("otpauth://totp/Kairan:sato?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kairan");

        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .contains("shape-rendering=\"crispEdges\"").endsWith("</svg>");
        assertThat(svg.split("<path", -1)).hasSize(2);
        assertThat(svg).doesNotContain("<script", "<style", "style=", "href", "<image", "<foreignObject")
                .doesNotContainPattern("\\son[a-z]+=");
        assertThat(svg.length()).isLessThan(8_000);
    }

    @Test
    void matrix_hasAQuietZoneOfFourModules() {
        BitMatrix matrix = QrCodes.matrix("Kairan");
        int[] rect = matrix.getEnclosingRectangle();

        assertThat(rect[0]).isEqualTo(QrCodes.QUIET_ZONE_MODULES);
        assertThat(rect[1]).isEqualTo(QrCodes.QUIET_ZONE_MODULES);
        assertThat(matrix.getWidth() - rect[0] - rect[2]).isEqualTo(QrCodes.QUIET_ZONE_MODULES);
    }

    @Test
    void svg_rejectsEmptyAndOversizedText() {
        assertThatThrownBy(() -> QrCodes.svg("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QrCodes.svg("9".repeat(10_000))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Rasterizes our own SVG subset: a viewBox and one path of "M x y h n v1 h-n z" runs. */
    private static BufferedImage renderSvg(String svg) {
        Matcher viewBox = VIEW_BOX.matcher(svg);
        Matcher path = PATH_DATA.matcher(svg);
        assertThat(viewBox.find()).isTrue();
        assertThat(path.find()).isTrue();
        BufferedImage image = blank(Integer.parseInt(viewBox.group(1)), Integer.parseInt(viewBox.group(2)));
        Graphics2D g = image.createGraphics();
        g.setColor(Color.BLACK);
        Matcher run = RUN.matcher(path.group(1));
        int end = 0;
        while (run.find()) {
            assertThat(run.start()).isEqualTo(end);
            assertThat(run.group(4)).isEqualTo(run.group(3));
            g.fillRect(Integer.parseInt(run.group(1)) * PIXELS_PER_MODULE, Integer.parseInt(run.group(2)) * PIXELS_PER_MODULE,
                    Integer.parseInt(run.group(3)) * PIXELS_PER_MODULE, PIXELS_PER_MODULE);
            end = run.end();
        }
        assertThat(end).isEqualTo(path.group(1).length());
        g.dispose();
        return image;
    }

    private static BufferedImage renderMatrix(BitMatrix matrix) {
        BufferedImage image = blank(matrix.getWidth(), matrix.getHeight());
        Graphics2D g = image.createGraphics();
        g.setColor(Color.BLACK);
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int x = 0; x < matrix.getWidth(); x++) {
                if (matrix.get(x, y)) {
                    g.fillRect(x * PIXELS_PER_MODULE, y * PIXELS_PER_MODULE, PIXELS_PER_MODULE, PIXELS_PER_MODULE);
                }
            }
        }
        g.dispose();
        return image;
    }

    private static BufferedImage blank(int modulesWide, int modulesHigh) {
        BufferedImage image = new BufferedImage(modulesWide * PIXELS_PER_MODULE, modulesHigh * PIXELS_PER_MODULE,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
        return image;
    }

    private static String decode(BufferedImage image) throws Exception {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        Result result = new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
        return result.getText();
    }
}
