package jp.kairan.server.ceiling;

import java.util.List;
import java.util.stream.Collectors;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.PolicyFinding;
import jp.kairan.server.error.KairanException;

/**
 * A message refused for its content: {@code content_blocked} or {@code confirmation_required}, with the masked
 * findings the sender sees. Carries no text, so logging it is safe.
 */
public final class ContentRefused extends KairanException {
    private static final long serialVersionUID = 1L;

    private final transient List<PolicyFinding> findings;

    ContentRefused(ErrorCode code, List<PolicyFinding> findings) {
        super(code, code.code() + ": " + findings.stream().map(PolicyFinding::detector).collect(Collectors.joining(",")));
        this.findings = List.copyOf(findings);
    }

    @Override
    public String detail() {
        return findings.stream().map(PolicyFinding::describe).collect(Collectors.joining("; "));
    }

    @Override
    public List<PolicyFinding> findings() {
        return findings;
    }
}
