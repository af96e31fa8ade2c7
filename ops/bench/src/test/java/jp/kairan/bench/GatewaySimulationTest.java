package jp.kairan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real simulation in Gatling against {@link FakeGateway}: 2 rooms × 3 members, 6 messages/s, 3 s. */
class GatewaySimulationTest {

    @TempDir
    Path results;

    private Ledger.Verdict run(long dropEvery) throws Exception {
        return run(dropEvery, 3);
    }

    private Ledger.Verdict run(long dropEvery, int senders) throws Exception {
        Ledger ledger = new Ledger();
        Map<String, String> roomOfUser = new HashMap<>();
        List<GatewayRun.Seat> seats = new ArrayList<>();
        for (int r = 1; r <= 2; r++) {
            Ledger.Room room = ledger.room("10" + r, 0);
            for (int m = 1; m <= 3; m++) {
                String user = "20" + r + m;
                roomOfUser.put(user, room.id);
                seats.add(new GatewayRun.Seat(seats.size(), user, user, DeviceKey.generate(), room.id, m <= senders,
                        room.member(seats.size())));
            }
        }
        try (FakeGateway gateway = new FakeGateway(roomOfUser, dropEvery)) {
            // Settle 4 s: Gatling takes a moment to start its engine after the timeline is fixed.
            new GatewayRun(gateway.url(), seats, 6, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(1),
                    Duration.ofSeconds(3), Duration.ofSeconds(1), "t" + System.nanoTime(), ledger, 1000).install();
            int status = io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {
                "-s", GatewaySimulation.class.getName(), "-rf", results.toString(), "-nr"});
            assertThat(status).isZero();
        }
        return ledger.verdict();
    }

    @Test
    void everyAckedMessageReachesEveryMemberOnceInOrder() throws Exception {
        Ledger.Verdict v = run(0);
        assertThat(v.readyConnections()).isEqualTo(6);
        assertThat(v.sent()).isBetween(18L, 30L);
        assertThat(v.acked()).isEqualTo(v.sent());
        assertThat(v.delivered()).isEqualTo(3 * v.acked());
        assertThat(v.missing()).isZero();
        assertThat(v.duplicates()).isZero();
        assertThat(v.orderViolations()).isZero();
        assertThat(v.ackMicros().getTotalCount()).isPositive();
        assertThat(v.deliverMicros().getTotalCount()).isPositive();
        assertThat(v.clean()).isTrue();
    }

    @Test
    void membersThatOnlyReceiveStillGetEveryMessage() throws Exception {
        Ledger.Verdict v = run(0, 1);
        assertThat(v.sent()).isBetween(18L, 30L);
        assertThat(v.delivered()).isEqualTo(3 * v.acked());
        assertThat(v.clean()).isTrue();
    }

    @Test
    void aDroppedDeliveryIsCountedAsLossAndAGap() throws Exception {
        Ledger.Verdict v = run(7);
        assertThat(v.missing()).isPositive();
        assertThat(v.delivered() + v.missing()).isEqualTo(3 * v.acked());
        assertThat(v.clean()).isFalse();
    }
}
