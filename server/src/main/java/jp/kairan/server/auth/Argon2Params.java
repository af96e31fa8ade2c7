package jp.kairan.server.auth;

/**
 * Argon2id cost parameters for new password hashes. Construction rejects anything weaker than the
 * OWASP Password Storage Cheat Sheet minimums, which are equivalent to one another: m=47104 KiB/t=1,
 * m=19456/t=2, m=12288/t=3, m=9216/t=4, m=7168/t=5. A setting is accepted when it is at least one of
 * them in both memory and iterations.
 *
 * @param memoryKib   memory per hash in KiB (the {@code m} of the PHC string)
 * @param iterations  passes over memory (the {@code t})
 * @param parallelism lanes (the {@code p}); 1 to 16. The hasher computes lanes on one thread, so
 *                    more lanes cost time here; OWASP uses 1
 * @see <a href="https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id">OWASP: Argon2id</a>
 */
public record Argon2Params(int memoryKib, int iterations, int parallelism) {
    /** The OWASP minimum pairs {memoryKib, iterations}. */
    private static final int[][] OWASP_MINIMUMS = {{47_104, 1}, {19_456, 2}, {12_288, 3}, {9_216, 4}, {7_168, 5}};
    /** Upper bounds, so that a stored or configured value cannot make one hash take the server down. */
    static final int MAX_MEMORY_KIB = 1 << 20;
    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;

    /**
     * The default for new hashes, OWASP's m=19456 KiB, t=2, p=1: about 25-30 ms of CPU per hash on one core
     * of the 2-core reference machine with JDK 17 or 25, as fast as the t=3..5 settings per core but with
     * more memory, which is what slows GPU attackers; m=47104/t=1 costs half again more and scales poorly
     * across cores.
     */
    public static final Argon2Params DEFAULT = new Argon2Params(19_456, 2, 1);

    /** @throws IllegalArgumentException if weaker than every OWASP minimum or beyond the upper bounds */
    public Argon2Params {
        requireSane(memoryKib, iterations, parallelism);
        if (!meetsOwaspMinimum(memoryKib, iterations)) {
            throw new IllegalArgumentException("Argon2id m=" + memoryKib + " KiB, t=" + iterations
                    + " is weaker than every OWASP minimum (m=47104/t=1, m=19456/t=2, m=12288/t=3, m=9216/t=4, m=7168/t=5)");
        }
    }

    /** Bounds every Argon2id cost must meet, including costs read from stored hashes. */
    static void requireSane(int memoryKib, int iterations, int parallelism) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2id parallelism must be 1 to " + MAX_PARALLELISM + ", not " + parallelism);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2id iterations must be 1 to " + MAX_ITERATIONS + ", not " + iterations);
        }
        if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2id memory must be " + 8 * parallelism + " to " + MAX_MEMORY_KIB
                    + " KiB, not " + memoryKib);
        }
    }

    private static boolean meetsOwaspMinimum(int memoryKib, int iterations) {
        for (int[] minimum : OWASP_MINIMUMS) {
            if (memoryKib >= minimum[0] && iterations >= minimum[1]) {
                return true;
            }
        }
        return false;
    }
}
