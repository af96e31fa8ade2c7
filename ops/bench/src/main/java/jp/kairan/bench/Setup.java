package jp.kairan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Everything before the measurement, through the API only: the operator's first sign-in, an
 * organization with its owner, the owner's first sign-in, and {@code n} bench users who each
 * complete their first sign-in (password change and TOTP enrolment).
 */
final class Setup {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RETRIES = 8;

    private final Api api;
    private final SignIn signIn;
    private final PrintStream log;
    private final int threads;

    Setup(Api api, PrintStream log, int threads) {
        this.api = api;
        this.signIn = new SignIn(api);
        this.log = log;
        this.threads = threads;
    }

    /** The organization the bench users belong to, and its owner's session. */
    final class Org {
        final String id;
        final OwnerSession owner;
        private final String userPassword = newPassword();
        private final String runId;
        private int created;

        /** Sign-ins of this organization's users: their new devices are approved by the owner. */
        final SignIn userSignIn;

        Org(String id, OwnerSession owner, String runId) {
            this.id = id;
            this.owner = owner;
            this.runId = runId;
            this.userSignIn = new SignIn(api, deviceId -> approve(deviceId));
        }

        /** The owner approves a pending device ({@code POST /orgs/{orgId}/devices/{deviceId}/approve}). */
        void approve(String deviceId) {
            retrying("approve device " + deviceId,
                    () -> owner.call((token, key) -> api.post("/orgs/" + id + "/devices/" + deviceId + "/approve",
                            Map.of(), token, key)));
        }

        /**
         * Creates {@code count} more bench users and completes each one's first sign-in (password
         * change and TOTP enrolment), {@code threads} at a time.
         */
        List<Account> addUsers(int count) {
            long t0 = System.nanoTime();
            int first = created + 1;
            created += count;
            List<Account> users = new ArrayList<>(count);
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "bench-setup");
                t.setDaemon(true);
                return t;
            });
            try {
                AtomicInteger done = new AtomicInteger();
                int every = Math.max(1, Math.min(count / 5, 500));
                List<Future<Account>> futures = new ArrayList<>(count);
                for (int i = first; i < first + count; i++) {
                    String loginId = String.format("bench-%s-%05d", runId, i);
                    String displayName = String.format("ベンチ 利用者%05d", i);
                    futures.add(pool.submit(() -> {
                        Account user = createUser(owner, id, loginId, displayName);
                        retrying("first sign-in of " + loginId, () -> userSignIn.signIn(user, userPassword));
                        int n = done.incrementAndGet();
                        if (n % every == 0 && n < count) {
                            log.printf("setup:   %d/%d (%.0f s)%n", n, count, (System.nanoTime() - t0) / 1e9);
                        }
                        return user;
                    }));
                }
                for (Future<Account> f : futures) {
                    users.add(f.get());
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                        : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during setup", e);
            } finally {
                pool.shutdownNow();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            log.printf(java.util.Locale.ROOT, "setup: %d users created and signed in once in %.1f s (%.1f users/s)%n",
                    count, seconds, count / seconds);
            return users;
        }
    }

    /** Signs the operator in (first sign-in included) and creates an organization with its owner. */
    Org prepare(Account operator, String runId) {
        return prepare(operator, runId, "ログインベンチ " + runId);
    }

    /** As {@link #prepare(Account, String)}, with the organization named {@code orgName}. */
    Org prepare(Account operator, String runId, String orgName) {
        String operatorToken = retrying("operator sign-in", () -> signIn.signIn(operator, newPassword()));
        log.printf("setup: operator %s signed in (to sign in again: --operator-password '%s' --operator-totp-secret %s)%n",
                operator.loginId, operator.password, Base32.encode(operator.totpSecret));

        String ownerLoginId = "bench-" + runId + "-owner";
        JsonNode created = retrying("create organization", () -> api.post("/orgs", Map.of(
                "name", orgName,
                "owner", Map.of("loginId", ownerLoginId, "displayName", "ベンチ 所有者")), operatorToken,
                operator.deviceKey));
        String orgId = created.path("org").path("id").asText("");
        String ownerPassword = created.path("initialPassword").asText("");
        if (orgId.isEmpty() || ownerPassword.isEmpty()) {
            throw new ApiException(201, "unexpected_response", "POST /orgs answered " + created, false);
        }
        JsonNode allowed = created.path("org").path("allowedFactors");
        if (!allowed.isMissingNode() && !SignIn.contains(allowed, "totp")) {
            throw new ApiException(201, "totp_not_allowed", "new org allows only " + allowed, false);
        }
        OwnerSession ownerSession = new OwnerSession(new Account(ownerLoginId, ownerPassword));
        ownerSession.token();
        log.printf("setup: organization %s with owner %s%n", orgId, ownerLoginId);
        return new Org(orgId, ownerSession, runId);
    }

    private Account createUser(OwnerSession owner, String orgId, String loginId, String displayName) {
        // A retried create whose first attempt did reach the server answers 409 conflict: the
        // initial password is lost with the first answer, so take the next login ID instead.
        AtomicInteger attempt = new AtomicInteger();
        JsonNode created = retrying("create user " + loginId, () -> {
            String id = attempt.getAndIncrement() == 0 ? loginId : loginId + "-r" + attempt.get();
            Map<String, Object> body = Map.of("loginId", id, "displayName", displayName);
            JsonNode answer = owner.call((token, key) -> api.post("/orgs/" + orgId + "/users", body, token, key));
            if (!answer.isObject()) {
                throw new ApiException(201, "unexpected_response", "POST users answered " + answer, false);
            }
            return ((ObjectNode) answer).put("benchLoginId", id);
        });
        String initial = created.path("initialPassword").asText("");
        if (initial.isEmpty()) {
            throw new ApiException(201, "unexpected_response", "POST users answered " + created, false);
        }
        Account account = new Account(created.path("benchLoginId").asText(), initial);
        account.userId = created.path("user").path("id").asText(null);
        return account;
    }

    /** A call made with an access token and the proof of its device key. */
    @FunctionalInterface
    interface TokenCall<T> {
        T call(String accessToken, DeviceKey key);
    }

    /**
     * The owner's access token, signed in again when it expires (tokens live 5 minutes). The owner's first device
     * is approved at once (the organization's bootstrap device, protocol/DEVICES.md).
     */
    final class OwnerSession {
        private final Account owner;
        private String token;

        OwnerSession(Account owner) {
            this.owner = owner;
        }

        Account account() {
            return owner;
        }

        synchronized String token() {
            if (token == null) {
                token = retrying("owner sign-in", () -> signIn.signIn(owner, newPassword()));
            }
            return token;
        }

        synchronized void renew(String stale) {
            if (stale.equals(token)) {
                token = null;
            }
        }

        /** Makes {@code call} with the owner's token, signing in again once if the token expired. */
        <T> T call(TokenCall<T> call) {
            String t = token();
            try {
                return call.call(t, owner.deviceKey);
            } catch (ApiException e) {
                if (!e.code().equals("token_expired") && !e.code().equals("unauthenticated")) {
                    throw e;
                }
                renew(t);
                return call.call(token(), owner.deviceKey);
            }
        }
    }

    /** Retries what the server calls retryable (429, 503, timeouts) with a growing pause. */
    static <T> T retrying(String what, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (ApiException e) {
                if (!e.retryable() || attempt >= RETRIES) {
                    throw new IllegalStateException("Setup failed at " + what + ": " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted during setup", ie);
                }
            }
        }
    }

    static String newPassword() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return "Kb-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
