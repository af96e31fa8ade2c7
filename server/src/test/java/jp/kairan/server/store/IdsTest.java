package jp.kairan.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsIncreaseStrictly_withinOneThread() {
        long last = Ids.next();
        for (int i = 0; i < 100_000; i++) {
            long next = Ids.next();
            assertThat(next).isGreaterThan(last);
            last = next;
        }
    }

    @Test
    void idsAreUnique_acrossThreads() {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 200_000).parallel().forEach(i -> assertThat(seen.add(Ids.next())).isTrue());
        Set<Long> copy = new HashSet<>(seen);
        assertThat(copy).hasSize(200_000);
    }

    @Test
    void idsArePositiveAndFitJavaScriptBigIntStrings() {
        long id = Ids.next();
        assertThat(id).isPositive();
        assertThat(Long.toString(id)).hasSizeLessThanOrEqualTo(19);
    }
}
