package jp.kairan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The peer bench's protocol-neutral ledger, its XMPP reading and its SCRAM client. */
class PeerBenchTest {
    private static final long T0 = 1_800_000_000_000_000L;

    private final StepLedger ledger = new StepLedger();
    private final StepLedger.Room room = ledger.room("room0001@conference.bench.localhost", 3);
    private final StepLedger.Member a = room.member(0);
    private final StepLedger.Member b = room.member(1);
    private final StepLedger.Member c = room.member(2);

    PeerBenchTest() {
        ledger.steps(List.of(
                new StepLedger.Step(0, true, 10, T0, T0, T0 + 10_000_000),
                new StepLedger.Step(1, false, 10, T0 + 10_000_000, T0 + 12_000_000, T0 + 20_000_000),
                new StepLedger.Step(2, false, 20, T0 + 20_000_000, T0 + 22_000_000, T0 + 30_000_000)));
        for (StepLedger.Member m : List.of(a, b, c)) {
            m.ready(T0 - 1_000_000, T0 - 2_000_000);
        }
    }

    @Test
    void textsHaveExactlyTheSizeAskedAndCarrySenderCounterAndTime() {
        String text = StepLedger.text(7, 123, T0 + 5, 200);
        assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(200);
        assertThat(StepLedger.parse(text)).containsExactly(7, 123, T0 + 5);
        assertThat(StepLedger.parse("お疲れさまです")).isNull();
        assertThat(StepLedger.parse("bench x 1 2")).isNull();
    }

    @Test
    void aMessageEveryMemberReceivedOnceIsCleanAndMeasuredInItsStep() {
        long sent = T0 + 13_000_000;
        long counter = a.send(sent);
        String text = StepLedger.text(0, counter, sent, 100);
        a.ack(counter, sent + 3_000);
        for (StepLedger.Member m : List.of(a, b, c)) {
            m.delivered(room.id, 1, text, sent + 4_000);
        }
        StepLedger.Step step = ledger.steps().get(1);
        assertThat(step.ackedMeasured.sum()).isEqualTo(1);
        assertThat(step.deliveredMeasured.sum()).isEqualTo(3);
        assertThat(step.deliverSoFar().getValueAtPercentile(99)).isBetween(3_990L, 4_010L);
        StepLedger.Loss loss = ledger.loss();
        assertThat(loss.missing()).containsExactly(0, 0, 0);
        assertThat(loss.unacked()).containsExactly(0, 0, 0);
    }

    @Test
    void lossDuplicatesAndOrderAreChargedToTheStepOfTheSend() {
        long first = T0 + 21_000_000;
        long second = T0 + 23_000_000;
        long c1 = b.send(first);
        long c2 = b.send(second);
        b.ack(c1, first + 1_000);
        b.ack(c2, second + 1_000);
        String t1 = StepLedger.text(1, c1, first, 100);
        String t2 = StepLedger.text(1, c2, second, 100);
        a.delivered(room.id, 10, t1, first + 2_000);
        a.delivered(room.id, 11, t2, second + 2_000);
        b.delivered(room.id, 11, t2, second + 2_000); // out of order: the second before the first
        b.delivered(room.id, 10, t1, second + 3_000);
        c.delivered(room.id, 10, t1, first + 2_000); // c never gets the second
        c.delivered(room.id, 10, t1, first + 5_000); // and the first twice
        StepLedger.Step step = ledger.steps().get(2);
        assertThat(step.orderViolations.sum()).isEqualTo(1);
        assertThat(step.duplicates.sum()).isEqualTo(1);
        StepLedger.Loss loss = ledger.loss();
        assertThat(loss.missing()).containsExactly(0, 0, 1);
        assertThat(loss.messagesWithLoss()).containsExactly(0, 0, 1);
    }

    @Test
    void aSendNeverConfirmedIsNotStoredRatherThanLost() {
        a.send(T0 + 1_000_000);
        assertThat(ledger.loss().unacked()).containsExactly(1, 0, 0);
        assertThat(ledger.loss().missing()).containsExactly(0, 0, 0);
    }

    @Test
    void xmppGroupchatIsADeliveryAndItsReflectionToTheSenderTheStoredAnswer() {
        XmppChat xmpp = new XmppChat(ledger, "bench.localhost");
        PeerRun.Seat seatA = new PeerRun.Seat(0, 0, room.id, new XmppChat.Login("b0001-01", "pw", "b0001-01"), true, a);
        PeerRun.Seat seatB = new PeerRun.Seat(1, 1, room.id, new XmppChat.Login("b0001-02", "pw", "b0001-02"), true, b);
        long sent = T0 + 15_000_000;
        long counter = a.send(sent);
        String text = StepLedger.text(0, counter, sent, 120);
        assertThat(xmpp.send(null, seatA, counter, text)).isEqualTo("<message xmlns='jabber:client' to='" + room.id
                + "' type='groupchat' id='c1'><body>" + text + "</body></message>");
        // As ejabberd 23.01 sends it (captured on this machine).
        String frame = "<message xmlns='jabber:client' xml:lang='en' to='b0001-01@bench.localhost/bench' from='"
                + room.id + "/b0001-01' type='groupchat' id='c1'><archived by='" + room.id + "' id='1795724685716428'"
                + " xmlns='urn:xmpp:mam:tmp'/><stanza-id by='" + room.id + "' id='1795724685716428'"
                + " xmlns='urn:xmpp:sid:0'/><body>" + text + "</body></message>";
        xmpp.read(seatA, frame, sent + 2_000);
        xmpp.read(seatB, frame.replace("to='b0001-01@", "to='b0001-02@"), sent + 2_500);
        xmpp.read(seatB, "<presence xmlns='jabber:client' from='" + room.id + "/b0001-03'><x/></presence>", sent);
        StepLedger.Step step = ledger.steps().get(1);
        assertThat(step.ackedMeasured.sum()).isEqualTo(1);
        assertThat(step.deliveredMeasured.sum()).isEqualTo(2);
        assertThat(step.orderViolations.sum()).isZero();
        assertThat(ledger.otherFrames()).containsEntry("xmpp presence", 1L);
    }

    @Test
    void xmppErrorsAreCountedByConditionAgainstTheirStep() {
        XmppChat xmpp = new XmppChat(ledger, "bench.localhost");
        PeerRun.Seat seatA = new PeerRun.Seat(0, 0, room.id, new XmppChat.Login("u", "pw", "u"), true, a);
        long counter = a.send(T0 + 25_000_000);
        xmpp.read(seatA, "<message xmlns='jabber:client' from='" + room.id + "' type='error' id='c" + counter
                + "'><error type='cancel'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"
                + "</message>", T0 + 25_001_000);
        assertThat(ledger.errors()).containsEntry("xmpp-not-acceptable", 1L);
        assertThat(ledger.steps().get(2).errors.sum()).isEqualTo(1);
    }

    @Test
    void attributesAreReadWithEitherQuoteAndOnlyWithinTheirTag() {
        String frame = "<message from=\"r@c/n\" id='x'><stanza-id id='42'/></message>";
        assertThat(XmppChat.attribute(frame, 0, frame.indexOf('>'), "from")).isEqualTo("r@c/n");
        assertThat(XmppChat.attribute(frame, 0, frame.indexOf('>'), "id")).isEqualTo("x");
        int sid = frame.indexOf("<stanza-id");
        assertThat(XmppChat.attribute(frame, sid, frame.indexOf('>', sid), "id")).isEqualTo("42");
        assertThat(XmppChat.attribute(frame, 0, frame.indexOf('>'), "type")).isNull();
    }

    /** RFC 5802, section 5: the SCRAM-SHA-1 example exchange. */
    @Test
    void scramAnswersTheRfcExampleAndChecksTheServerSignature() {
        String first = Scram.clientFirstBare("user", "fyko+d2lbbFgONRv9qkxdawL");
        assertThat(first).isEqualTo("n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        String challenge = b64("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
        Scram.Final answer = Scram.answer("pencil", first, challenge);
        assertThat(new String(Base64.getDecoder().decode(answer.clientFinal()), StandardCharsets.UTF_8))
                .isEqualTo("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
        assertThat(Scram.verified(answer, b64("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="))).isTrue();
        assertThat(Scram.verified(answer, b64("v=AAAApqV8S7suAoZWja4dJRkFsKQ="))).isFalse();
        assertThatThrownBy(() -> Scram.answer("pencil", first, b64("r=someoneelse,s=QSXCR+Q6sek8bf92,i=4096")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
