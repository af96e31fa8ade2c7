package jp.kairan.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Pins the chain's canonical form: a hash that changes breaks every chain already stored. */
class AuditChainTest {

    @Test
    void anEventsHashStaysWhatTheStoredChainsWereHashedWith() {
        AuditChain.Row row = new AuditChain.Row(7_300_000_000_123L, 42, 3, Instant.parse("2026-11-26T00:00:01.123456Z"), 42L,
                9L, "hanako.s", "auth.login", "user", "9", "203.0.113.7", "req-1", "{\"roles\":[\"管理者\"],\"n\":2}",
                AuditChain.GENESIS);
        assertThat(AuditChain.hash(row)).isEqualTo("c48dedb6909f6195801e391f172e23cc3931266305aa57424de17079ce33559d");
    }

    @Test
    void nullFieldsAndAServerWideChainHashToo() {
        AuditChain.Row row = new AuditChain.Row(1, AuditChain.chainKey(null), 1, Instant.EPOCH, null, null, null,
                "server.started", null, null, null, null, null, AuditChain.GENESIS);
        assertThat(AuditChain.hash(row)).isEqualTo("cd050aa0a4f3542b7411061704e0e69db14362d3cd9b475b71e0081cf28475d2");
    }
}
