package jp.kairan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseTest {

    @Test
    void usersNeeded_coversTheBusiest32Seconds() {
        List<Phase> steady = List.of(new Phase("fixed", Phase.Kind.FIXED, 10, 100));
        assertThat(Phase.usersNeeded(steady, 0)).isEqualTo((int) Math.ceil(10 * 32 * 1.2) + 5);
    }

    @Test
    void usersNeeded_shortPlanNeedsOnlyItsLogins() {
        List<Phase> smoke = List.of(
                new Phase("warm-up", Phase.Kind.WARMUP, 5, 2),
                new Phase("ramp 5/s", Phase.Kind.RAMP, 5, 3),
                new Phase("ramp 10/s", Phase.Kind.RAMP, 10, 3),
                new Phase("fixed 10/s", Phase.Kind.FIXED, 10, 3));
        assertThat(Phase.usersNeeded(smoke, 1)).isEqualTo((int) Math.ceil(85 * 1.2) + 5);
    }
}
