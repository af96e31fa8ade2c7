package jp.kairan.protocol.api;

import java.util.List;
import jp.kairan.protocol.PolicyFinding;

/**
 * The answer to {@code POST /api/v1/rooms/{roomId}/messages/check}: what sending the draft would do.
 *
 * @param verdict   {@code block}, {@code warn} or {@code allow}
 * @param importance the draft's class, {@code I}..{@code IV} (JSON {@code class})
 * @param ceiling   the room's effective ceiling
 * @param emergency whether the room is in emergency mode
 * @param findings  everything found, each with its verdict under the ceiling
 */
public record PolicyCheck(String verdict, @com.fasterxml.jackson.annotation.JsonProperty("class") String importance,
                          String ceiling, boolean emergency, List<PolicyFinding> findings) {
}
