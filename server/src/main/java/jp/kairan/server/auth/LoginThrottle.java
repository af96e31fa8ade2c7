package jp.kairan.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.server.error.KairanException;

/**
 * In-memory limits that complement the per-account lock stored with the credentials:
 * <ul>
 *   <li>sign-in attempts per client address per minute (fixed one-minute windows);</li>
 *   <li>failures per login ID that does not exist, so that an unknown ID locks exactly like a real one and the
 *       answers never tell whether an ID exists.</li>
 * </ul>
 * Thread-safe. Per node: a cluster multiplies the address limit by the number of nodes, which is acceptable.
 */
final class LoginThrottle {
    private final int perMinute;
    private final int lockThreshold;
    private final Cache<String, AtomicInteger> perAddress;
    private final Cache<String, AtomicInteger> unknownIds;

    LoginThrottle(int perMinute, int lockThreshold, Duration lockFor, Ticker ticker) {
        this.perMinute = perMinute;
        this.lockThreshold = lockThreshold;
        this.perAddress = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1)).maximumSize(100_000).ticker(ticker).build();
        this.unknownIds = Caffeine.newBuilder().expireAfterWrite(lockFor).maximumSize(100_000).ticker(ticker).build();
    }

    /** Counts an attempt from {@code address}; throws {@code rate_limited} beyond the limit. */
    void attempt(String address) {
        String key = address == null ? "?" : address;
        if (perAddress.get(key, k -> new AtomicInteger()).incrementAndGet() > perMinute) {
            throw new KairanException(ErrorCode.RATE_LIMITED, "too many sign-in attempts from " + key);
        }
    }

    /** Whether an unknown login ID has failed often enough to answer as a locked account. */
    boolean unknownLocked(String loginId) {
        AtomicInteger n = unknownIds.getIfPresent(loginId);
        return n != null && n.get() >= lockThreshold;
    }

    void unknownFailed(String loginId) {
        unknownIds.get(loginId, k -> new AtomicInteger()).incrementAndGet();
    }
}
