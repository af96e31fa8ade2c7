package jp.kairan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LedgerTest {
    private final Ledger ledger = new Ledger();
    private final Ledger.Room room = ledger.room("7", 40);
    private final Ledger.Member alice = room.member(0);
    private final Ledger.Member bob = room.member(1);

    LedgerTest() {
        ledger.timeline(10, 0, Long.MAX_VALUE);
        alice.ready(1, 0);
        bob.ready(1, 0);
    }

    private void sendAndAck(Ledger.Member sender, String id, long seq) {
        sender.send(id, 1_000_000);
        sender.ack(id, seq, false, 1_002);
    }

    @Test
    void textCarriesTheSendTime() {
        assertThat(Ledger.sendMicros(Ledger.text(3, 9, 1_764_158_400_123_456L))).isEqualTo(1_764_158_400_123_456L);
        assertThat(Ledger.sendMicros("お疲れさまです")).isEqualTo(-1);
    }

    @Test
    void everyMemberReceivingEveryAckedSeqOnceIsClean() {
        sendAndAck(alice, "a1", 41);
        sendAndAck(bob, "b1", 42);
        for (Ledger.Member m : new Ledger.Member[] {alice, bob}) {
            m.posted("7", 41, Ledger.text(0, 1, 1_000_000), 1_003);
            m.posted("7", 42, Ledger.text(1, 1, 1_000_000), 1_004);
        }
        Ledger.Verdict v = ledger.verdict();
        assertThat(v.acked()).isEqualTo(2);
        assertThat(v.delivered()).isEqualTo(4);
        assertThat(v.missing()).isZero();
        assertThat(v.orderViolations()).isZero();
        assertThat(v.clean()).isTrue();
        assertThat(v.ackMicros().getValueAtPercentile(50)).isBetween(1_990L, 2_010L);
        assertThat(v.deliverMicros().getMaxValue()).isBetween(3_990L, 4_010L);
    }

    @Test
    void aMissingDeliveryIsLossAndTheNextOneIsAnOrderViolation() {
        sendAndAck(alice, "a1", 41);
        sendAndAck(alice, "a2", 42);
        alice.posted("7", 41, "x", 2);
        alice.posted("7", 42, "x", 2);
        bob.posted("7", 42, "x", 2);
        Ledger.Verdict v = ledger.verdict();
        assertThat(v.missing()).isEqualTo(1);
        assertThat(v.missingAtSender()).isZero();
        assertThat(v.messagesWithLoss()).isEqualTo(1);
        assertThat(v.orderViolations()).isEqualTo(1);
        assertThat(v.clean()).isFalse();
    }

    @Test
    void aSeqReceivedTwiceIsADuplicate() {
        sendAndAck(bob, "b1", 41);
        alice.posted("7", 41, "x", 2);
        alice.posted("7", 41, "x", 2);
        bob.posted("7", 41, "x", 2);
        Ledger.Verdict v = ledger.verdict();
        assertThat(v.duplicates()).isEqualTo(1);
        assertThat(v.missing()).isZero();
        assertThat(v.clean()).isFalse();
    }

    @Test
    void errorsAreCountedByCodeAndEndTheWait() {
        alice.send("a1", 1_000_000);
        alice.error("a1", "rate_limited");
        Ledger.Verdict v = ledger.verdict();
        assertThat(v.errors()).containsEntry("rate_limited", 1L);
        assertThat(v.unacked()).isZero();
    }

    @Test
    void aConnectionReadyAfterSendingStartedIsNotJudged() {
        Ledger late = new Ledger();
        late.timeline(100, 100, Long.MAX_VALUE);
        Ledger.Room r = late.room("8", 0);
        Ledger.Member early = r.member(0);
        Ledger.Member tardy = r.member(1);
        early.ready(50, 0);
        tardy.ready(150, 0);
        early.send("e1", 200);
        early.ack("e1", 1, false, 1);
        early.posted("8", 1, "x", 1);
        Ledger.Verdict v = late.verdict();
        assertThat(v.lateConnections()).isEqualTo(1);
        assertThat(v.missing()).isZero();
    }
}
