package jp.kairan.server.auth;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.server.error.KairanException;

/**
 * Bounds Argon2id work to one hash per core. Each hash takes tens of milliseconds of CPU; letting every worker
 * thread hash at once only makes all sign-ins slow together, and under overload clients give up while the
 * server keeps hashing for them. A request that cannot start hashing within {@link #MAX_WAIT} is answered
 * {@code 503 server_busy} (retryable) instead, so the server sheds load and the others stay fast. Thread-safe.
 */
final class HashingGate {
    static final Duration MAX_WAIT = Duration.ofSeconds(1);

    private final PasswordHasher hasher;
    private final Semaphore permits;

    HashingGate(PasswordHasher hasher, int concurrency) {
        this.hasher = hasher;
        this.permits = new Semaphore(concurrency, true);
    }

    String hash(char[] password) {
        acquire();
        try {
            return hasher.hash(password);
        } finally {
            permits.release();
        }
    }

    boolean verify(char[] password, String phc) {
        acquire();
        try {
            return hasher.verify(password, phc);
        } finally {
            permits.release();
        }
    }

    void verifyDummy(char[] password) {
        acquire();
        try {
            hasher.verifyDummy(password);
        } finally {
            permits.release();
        }
    }

    boolean needsRehash(String phc) {
        return hasher.needsRehash(phc);
    }

    private void acquire() {
        try {
            if (!permits.tryAcquire(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new KairanException(ErrorCode.SERVER_BUSY, "password hashing is saturated (" + permits.getQueueLength() + " waiting)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KairanException(ErrorCode.SERVER_BUSY, "interrupted while waiting to hash");
        }
    }
}
