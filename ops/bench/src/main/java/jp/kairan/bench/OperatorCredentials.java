package jp.kairan.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the file the server writes on first start, {@code <data-dir>/initial-operator-password.txt}.
 * Accepted forms: the password alone on one line, or {@code key: value} / {@code key=value} lines
 * with a key containing "password" (and optionally one for the login ID). Lines starting with
 * {@code #} are comments.
 */
record OperatorCredentials(Optional<String> loginId, String password) {

    static OperatorCredentials read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the operator password file " + file + ": " + e, e);
        }
        List<String> content = new ArrayList<>();
        String loginId = null;
        String password = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            content.add(line);
            int sep = separator(line);
            if (sep > 0) {
                String key = line.substring(0, sep).strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
                String value = line.substring(sep + 1).strip();
                if (key.contains("password")) {
                    password = value;
                } else if (key.equals("loginid") || key.equals("login") || key.equals("user") || key.equals("username")) {
                    loginId = value;
                }
            }
        }
        if (password == null && content.size() == 1) {
            password = content.get(0);
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("No password found in " + file
                    + " (expected the password alone, or a 'password: …' line)");
        }
        return new OperatorCredentials(Optional.ofNullable(loginId), password);
    }

    private static int separator(String line) {
        int colon = line.indexOf(':');
        int equals = line.indexOf('=');
        if (colon < 0) {
            return equals;
        }
        return equals < 0 ? colon : Math.min(colon, equals);
    }
}
