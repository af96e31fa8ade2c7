package jp.kairan.server.config;

/**
 * One documented configuration key. Every key the loader knows is declared once in {@link ConfigKeys}
 * and documented once in {@code ops/README.md}; a test checks the two agree.
 *
 * @param name        dashed, nested name, e.g. {@code http.port}; the environment variable is
 *                    {@code KAIRAN_} + the name upper-cased with dots and dashes as underscores
 * @param type        human-readable type: string, int, boolean, duration, path, secret, list
 * @param defaultText the default as documented, or {@code null} for an optional key
 * @param tier        Essentials, Common or Rare (as HikariCP's README groups its knobs)
 * @param description what it does
 */
public record ConfigKey(String name, String type, String defaultText, Tier tier, String description) {

    /** How often an operator needs the key. */
    public enum Tier { ESSENTIALS, COMMON, RARE }

    /** The environment variable that overrides this key. */
    public String envName() {
        return "KAIRAN_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Whether the value must be masked when the effective configuration is logged. */
    public boolean secret() {
        return "secret".equals(type);
    }
}
