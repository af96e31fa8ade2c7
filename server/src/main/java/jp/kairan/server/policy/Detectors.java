package jp.kairan.server.policy;

import java.util.Map;

/** The names of the detectors as people read them, in English and Japanese. */
public final class Detectors {
    private record Label(String en, String ja) {
    }

    private static final Map<String, Label> LABELS = Map.ofEntries(
            Map.entry("my_number", new Label("My Number", "マイナンバー")),
            Map.entry("resident_code", new Label("Resident registry code", "住民票コード")),
            Map.entry("basic_pension_number", new Label("Basic pension number", "基礎年金番号")),
            Map.entry("welfare", new Label("Welfare record of a named person", "生活保護（個人が特定できる記載）")),
            Map.entry("tax", new Label("Taxation record of a named person", "課税情報（個人が特定できる記載）")),
            Map.entry("arrears", new Label("Arrears of a named person", "滞納情報（個人が特定できる記載）")),
            Map.entry("abuse", new Label("Abuse consultation about a named person", "虐待相談（個人が特定できる記載）")),
            Map.entry("resident_registry", new Label("Resident registry record of a named person", "住民基本台帳情報（個人が特定できる記載）")),
            Map.entry("case_record", new Label("Case record of a named person", "ケース記録（個人が特定できる記載）")),
            Map.entry("internal", new Label("Internal-only material", "庁内限りの情報")));

    private Detectors() {
    }

    public static String label(String detector) {
        Label l = LABELS.get(detector);
        return l == null ? detector : l.en();
    }

    public static String labelJa(String detector) {
        Label l = LABELS.get(detector);
        return l == null ? detector : l.ja();
    }
}
