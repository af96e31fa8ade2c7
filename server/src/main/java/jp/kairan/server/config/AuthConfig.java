package jp.kairan.server.config;

import java.time.Duration;

/**
 * Sign-in and token settings.
 *
 * @param issuer              shown in authenticator apps; the {@code iss} of tokens
 * @param accessTokenTtl      access-token lifetime
 * @param refreshTokenTtl     sign-in session lifetime (refresh-token family)
 * @param argon2MemoryKib     Argon2id memory cost
 * @param argon2Iterations    Argon2id iterations
 * @param argon2Parallelism   Argon2id lanes
 * @param lockoutThreshold    consecutive failures that lock an account
 * @param lockoutDuration     how long a lock lasts
 * @param ipAttemptsPerMinute sign-in attempts per client address per minute
 * @param passwordMinLength   minimum length of new passwords
 * @param devicePendingTtl    how long a sign-in waits for its new device's approval
 */
public record AuthConfig(String issuer, Duration accessTokenTtl, Duration refreshTokenTtl,
                         int argon2MemoryKib, int argon2Iterations, int argon2Parallelism,
                         int lockoutThreshold, Duration lockoutDuration, int ipAttemptsPerMinute,
                         int passwordMinLength, Duration devicePendingTtl) {
}
