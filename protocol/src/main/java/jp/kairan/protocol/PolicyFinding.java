package jp.kairan.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Something the classifier found in a text (POLICY.md). Never the text itself: where it is and a masked excerpt.
 *
 * @param detector   detector id, e.g. {@code my_number}, {@code welfare}; clients must accept unknown ones
 * @param importance the class of what was found: {@code I} … {@code IV} (JSON {@code class})
 * @param verdict    {@code block}, {@code warn} or {@code allow}: what it calls for under the room's ceiling
 * @param start      UTF-16 index of its first character in the text that was sent
 * @param end        UTF-16 index after its last character
 * @param excerpt    the offending part masked, e.g. {@code ****-****-9018}
 * @param label      the detector's name in English
 * @param labelJa    the detector's name in Japanese
 */
public record PolicyFinding(String detector, @JsonProperty("class") String importance, String verdict, int start, int end,
                            String excerpt, String label, String labelJa) {
    /** "マイナンバー ****-****-9018". */
    public String describeJa() {
        return labelJa + " " + excerpt;
    }

    /** "My Number ****-****-9018". */
    public String describe() {
        return label + " " + excerpt;
    }
}
