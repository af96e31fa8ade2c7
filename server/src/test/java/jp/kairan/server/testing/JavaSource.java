package jp.kairan.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Java file as the architecture rules read it: its path under {@code jp/kairan/server}, its text, and the same
 * text with comments removed and literal contents blanked, so that a text scan sees only code. Offsets and line
 * numbers are the same in {@link #text()} and {@link #code()}.
 *
 * <p>Immutable and thread safe. A small lexer, not a parser: it knows comments, string and character literals and
 * text blocks, which is all a scan for names and SQL needs.
 */
public final class JavaSource {
    /** A string literal or text block of the file, with escapes left as written, and the line it starts on. */
    public record Literal(String text, int line) {}

    /**
     * A name in the code under {@code jp.kairan.server}, such as {@code jp.kairan.server.store.Tx} from an import
     * or a fully-qualified name in a body.
     *
     * @param pkg the package it names, relative to the server's root package and dotted ({@code ""} for the root)
     * @param name the name as written
     * @param line where it stands
     */
    public record Reference(String pkg, String name, int line) {}

    private static final Pattern SERVER_NAME = Pattern.compile("\\bjp\\.kairan\\.server(?![\\w$])((?:\\.[A-Za-z_$][\\w$]*)*(?:\\.\\*)?)");

    private final String path;
    private final String text;
    private final String code;
    private final List<Literal> literals;
    private final int[] lineStarts;

    private JavaSource(String path, String text) {
        this.path = path;
        this.text = text;
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        List<Literal> found = new ArrayList<>();
        this.code = blank(text, found);
        this.literals = Collections.unmodifiableList(found);
    }

    /** A source from its path relative to the server's root package ({@code "http/Foo.java"}) and its text. */
    public static JavaSource of(String path, String text) {
        return new JavaSource(path.replace('\\', '/'), text);
    }

    /** Every {@code .java} file under {@code root}, in path order, with paths relative to {@code root}. */
    public static List<JavaSource> under(Path root) throws IOException {
        List<JavaSource> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                sources.add(of(root.relativize(f).toString(), Files.readString(f)));
            }
        }
        return sources;
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** The text with comments turned to spaces and literal contents to spaces; line breaks stay where they were. */
    public String code() {
        return code;
    }

    public List<Literal> literals() {
        return literals;
    }

    /** The file's name without its directory, such as {@code Foo.java}. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The package the file's directory stands for, dotted and relative to the server's root ({@code ""} for the root). */
    public String pkg() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash).replace('/', '.');
    }

    /** Whether the file is in {@code pkg} or below it; {@code ""} stands for the root package alone. */
    public boolean isIn(String pkg) {
        return within(pkg(), pkg);
    }

    /** Whether package {@code pkg} is {@code outer} or one of its subpackages. */
    public static boolean within(String pkg, String outer) {
        return pkg.equals(outer) || (!outer.isEmpty() && pkg.startsWith(outer + "."));
    }

    /** The number of lines, counting a last line without a line break. */
    public int lineCount() {
        return text.isEmpty() ? 0 : text.endsWith("\n") ? lineStarts.length - 1 : lineStarts.length;
    }

    /** The 1-based line the character at {@code offset} stands on. */
    public int lineAt(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** {@code path:line} for the character at {@code offset}, to name evidence. */
    public String at(int offset) {
        return path + ":" + lineAt(offset);
    }

    /** {@code path:line} for a line. */
    public String atLine(int line) {
        return path + ":" + line;
    }

    /** Every name under {@code jp.kairan.server} in the code (imports and bodies; not comments or literals). */
    public List<Reference> serverReferences() {
        List<Reference> refs = new ArrayList<>();
        Matcher m = SERVER_NAME.matcher(code);
        while (m.find()) {
            StringBuilder pkg = new StringBuilder();
            for (String segment : m.group(1).split("\\.")) {
                if (segment.isEmpty()) {
                    continue;
                }
                if (!Character.isLowerCase(segment.charAt(0)) && segment.charAt(0) != '_') {
                    break;
                }
                pkg.append(pkg.length() == 0 ? "" : ".").append(segment);
            }
            refs.add(new Reference(pkg.toString(), m.group(), lineAt(m.start())));
        }
        return refs;
    }

    /** The first place where {@code pattern} finds something in the code, as {@code path:line}, or {@code null}. */
    public String firstInCode(Pattern pattern) {
        Matcher m = pattern.matcher(code);
        return m.find() ? at(m.start()) : null;
    }

    @Override
    public String toString() {
        return path;
    }

    private String blank(String s, List<Literal> found) {
        StringBuilder out = new StringBuilder(s);
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                int end = s.indexOf('\n', i);
                end = end < 0 ? n : end;
                spaces(out, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                spaces(out, i, end);
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int start = i + 3;
                int end = closing(s, start, "\"\"\"");
                found.add(new Literal(s.substring(start, Math.min(end, n)), lineAt(i)));
                spaces(out, start, Math.min(end, n));
                i = Math.min(end + 3, n);
            } else if (c == '"' || c == '\'') {
                int start = i + 1;
                int end = closing(s, start, String.valueOf(c));
                if (c == '"') {
                    found.add(new Literal(s.substring(start, Math.min(end, n)), lineAt(i)));
                }
                spaces(out, start, Math.min(end, n));
                i = Math.min(end + 1, n);
            } else {
                i++;
            }
        }
        return out.toString();
    }

    /** The offset of the first unescaped {@code delimiter} at or after {@code from}, or the text's length. */
    private static int closing(String s, int from, String delimiter) {
        int i = from;
        while (i < s.length()) {
            if (s.charAt(i) == '\\') {
                i += 2;
            } else if (s.startsWith(delimiter, i)) {
                return i;
            } else if (delimiter.length() == 1 && s.charAt(i) == '\n') {
                return i; // an unclosed literal ends at its line, so one slip cannot blank the rest of the file
            } else {
                i++;
            }
        }
        return s.length();
    }

    private static void spaces(StringBuilder out, int from, int to) {
        for (int i = from; i < to; i++) {
            if (out.charAt(i) != '\n') {
                out.setCharAt(i, ' ');
            }
        }
    }
}
