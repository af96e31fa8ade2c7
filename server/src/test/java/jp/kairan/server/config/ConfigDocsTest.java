package jp.kairan.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** ops/README.md documents exactly the keys the loader knows, with the same type, default and tier. */
class ConfigDocsTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| `([^`]+)` \\| (\\w+) \\| `([^`]*)` \\| (.+) \\|$");

    @Test
    void opsReadmeListsEveryKey_andNothingElse() throws IOException {
        Path readme = Path.of("..", "ops", "README.md");
        Map<String, String[]> documented = new HashMap<>();
        String tier = null;
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            if (line.startsWith("### ")) {
                tier = line.substring(4).strip().toUpperCase(java.util.Locale.ROOT);
            }
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                documented.put(m.group(1), new String[] {m.group(2), m.group(3), m.group(4), tier});
            }
        }
        for (ConfigKey key : ConfigKeys.ALL) {
            assertThat(documented).as("ops/README.md documents %s", key.name()).containsKey(key.name());
            String[] row = documented.get(key.name());
            assertThat(row[0]).as(key.name() + " env").isEqualTo(key.envName());
            assertThat(row[1]).as(key.name() + " type").isEqualTo(key.type());
            assertThat(row[2]).as(key.name() + " default").isEqualTo(key.defaultText() == null ? "(none)" : key.defaultText());
            assertThat(row[3]).as(key.name() + " tier").isEqualTo(key.tier().name());
        }
        assertThat(documented.keySet()).as("documented keys the loader does not know")
                .containsExactlyInAnyOrderElementsOf(ConfigKeys.ALL.stream().map(ConfigKey::name).toList());
    }
}
