package jp.kairan.server.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import jp.kairan.server.config.ConfigException;
import jp.kairan.server.config.ConfigKeys;
import jp.kairan.server.config.ConfigLoader;
import jp.kairan.server.config.ServerConfig;
import picocli.CommandLine.Option;

/** Options every subcommand shares. */
public final class ConfigOptions {
    @Option(names = "--data-dir", description = "Data directory (default ./data, or KAIRAN_DATA_DIR).")
    Path dataDir;

    @Option(names = "--config", description = "Properties file (default <data-dir>/kairan.properties if present).")
    Path configFile;

    /** Loads the configuration, printing all problems and exiting on failure. */
    public ServerConfig load() {
        Map<String, String> overrides = new HashMap<>();
        if (dataDir != null) {
            overrides.put(ConfigKeys.DATA_DIR.name(), dataDir.toString());
        }
        try {
            ServerConfig config = ConfigLoader.load(System.getenv(), Optional.ofNullable(configFile), overrides);
            System.setProperty("kairan.log.format", config.logFormat().toUpperCase(java.util.Locale.ROOT));
            return config;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }
}
