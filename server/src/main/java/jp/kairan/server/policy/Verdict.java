package jp.kairan.server.policy;

/** What happens to a message, from mild to severe: sent, sent after the sender confirms, refused. */
public enum Verdict {
    ALLOW, WARN, BLOCK;

    /** The more severe of two verdicts. */
    public Verdict max(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
