package jp.kairan.server.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * A token bucket per user for message sends, shared by all of the user's connections on this node. Buckets of
 * users who stopped sending are forgotten after a minute. Thread-safe.
 */
final class SendRateLimiter {
    private final double perNano;
    private final double burst;
    private final Cache<Long, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(1)).build();

    SendRateLimiter(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
    }

    /** Takes a token for {@code userId}; false when the user is over the limit. */
    boolean tryAcquire(long userId, long nowNanos) {
        Bucket b = buckets.get(userId, id -> new Bucket(burst, nowNanos));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (nowNanos - b.refilledAt) * perNano);
            b.refilledAt = nowNanos;
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
