package jp.kairan.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jp.kairan.server.testing.ImportGraph;
import jp.kairan.server.testing.JavaSource;

/**
 * The server's house rules (issue #15, COMMON.md, STYLE.md) as functions from a set of main-code sources to the
 * offences found, one {@code path:line: what} string each; no offence means the rule holds. {@link ArchitectureTest}
 * runs them on the real tree and on small in-memory files that show each one would catch what it is for.
 *
 * <p>They scan text, not bytecode: comments and literal contents are blanked first ({@link JavaSource#code()}),
 * so a name in a comment or a log message does not count, and a fully-qualified name in a body does.
 */
final class HouseRules {
    /** Which server packages a ground package may use besides itself; everything else in the server is off limits. */
    static final Map<String, Set<String>> GROUND = groundRules();

    /** The longest a main-code file may grow (STYLE §4). */
    static final int MAX_LINES = 500;

    private static final Pattern PERSISTENCE_IMPORT = Pattern.compile("\\b(java\\.sql|jakarta\\.persistence|org\\.hibernate)\\.");
    private static final Pattern JDBC_CALL = Pattern.compile("\\.\\s*jdbc\\s*\\(");
    private static final Pattern DECLARED = Pattern.compile("\\b(?:Tx|Database)\\s+([a-z_$][\\w$]*)\\s*[,;=)]");
    private static final Pattern LAMBDA_TX = Pattern.compile(
            "\\b(?:call|inTransaction|callOnThisThread)\\s*\\(\\s*\\(?\\s*([a-z_$][\\w$]*)\\s*\\)?\\s*->");
    private static final Pattern TRANSACTIONAL = Pattern.compile("jp\\.kairan\\.server\\.store\\.(?:\\*|(?:Tx|Database)(?:\\..*)?)");
    private static final Pattern OPENS_SESSION =
            Pattern.compile("\\b(?:openSession|beginTransaction)\\s*\\(|\\borg\\.hibernate\\.SessionFactory\\b");
    private static final Pattern OPENS_TRANSACTION = Pattern.compile("\\b(?:inTransaction|callOnThisThread)\\s*\\(");

    /**
     * A string literal that is SQL or HQL: it starts with a statement's opening words and what must follow them
     * ({@code SELECT a,}, {@code INSERT INTO t (}, {@code UPDATE t SET c =}, {@code DELETE FROM t WHERE}, …) or is
     * HQL's {@code from XEntity}. Prose such as "update the room" or "delete from the list of" does not match.
     */
    static final Pattern SQL = Pattern.compile("\\A\\s*(?:"
            + "SELECT\\s+(?:DISTINCT\\s+)?(?:\\*|[\\w.`]+(?:\\s*[,(]|\\s+(?:AS|FROM)\\b|\\s*\\z))"
            + "|(?:INSERT(?:\\s+IGNORE)?|MERGE|REPLACE)\\s+INTO\\s+(?:[\\w.`]+\\s*(?:\\(|\\b(?:VALUES|SELECT|SET|USING)\\b|\\z)|\\z)"
            + "|UPDATE\\s+[\\w.`]+(?:\\s+\\w+)?\\s+SET\\s+(?:[\\w.`]+\\s*=|\\z)"
            + "|DELETE\\s+FROM\\s+[\\w.`]+(?:\\s+\\w+)?\\s*(?:\\bWHERE\\b|;|\\z)"
            + "|FROM\\s+\\w+Entity\\b)", Pattern.CASE_INSENSITIVE);

    private HouseRules() {}

    /** Only the HTTP face imports Undertow and only the gateway imports Netty (server/README.md). */
    static List<String> transportLibrariesStayInTheirFaces(Collection<JavaSource> sources) {
        List<String> offences = new ArrayList<>();
        for (JavaSource s : sources) {
            report(offences, s.isIn("http") ? null : s.firstInCode(Pattern.compile("\\bio\\.undertow\\.")), "uses Undertow outside http");
            report(offences, s.isIn("gateway") ? null : s.firstInCode(Pattern.compile("\\bio\\.netty\\.")), "uses Netty outside gateway");
        }
        return offences;
    }

    /** Sessions and transactions are opened by {@code store} alone. */
    static List<String> onlyTheStoreOpensSessions(Collection<JavaSource> sources) {
        List<String> offences = new ArrayList<>();
        for (JavaSource s : sources) {
            if (!s.isIn("store")) {
                report(offences, s.firstInCode(OPENS_SESSION), "opens a session or a transaction");
            }
        }
        return offences;
    }

    /** Rule 3 of COMMON.md: no package reaches itself again through the packages it uses. */
    static List<String> packageCycles(Collection<JavaSource> sources) {
        ImportGraph graph = ImportGraph.of(sources);
        List<String> offences = new ArrayList<>();
        for (List<String> component : graph.cycles()) {
            StringBuilder o = new StringBuilder("cycle ").append(displayed(graph.cycleThrough(component.get(0), component), " -> "))
                    .append(" among {").append(displayed(component, ", ")).append("}:");
            for (String from : component) {
                graph.dependencies(from).forEach((to, evidence) -> {
                    if (component.contains(to)) {
                        o.append("\n    ").append(displayed(List.of(from, to), " -> ")).append("  ").append(evidence);
                    }
                });
            }
            offences.add(o.toString());
        }
        return offences;
    }

    /**
     * Rule 3 of COMMON.md: {@code config}, {@code error}, {@code csv}, {@code access}, {@code store} and {@code audit} use only the
     * ground below them ({@link #GROUND}); a subpackage counts as its top package.
     */
    static List<String> theGroundStaysTheGround(Collection<JavaSource> sources) {
        List<String> offences = new ArrayList<>();
        for (JavaSource s : sources) {
            String top = top(s.pkg());
            Set<String> allowed = GROUND.get(top);
            if (allowed == null) {
                continue;
            }
            Set<String> used = new LinkedHashSet<>();
            for (JavaSource.Reference ref : s.serverReferences()) {
                String target = top(ref.pkg());
                if (!target.equals(top) && !allowed.contains(target) && used.add(target)) {
                    offences.add(s.atLine(ref.line()) + ": " + ImportGraph.display(top) + " uses " + ref.name()
                            + " (it may use only " + (allowed.isEmpty() ? "nothing of the server" : String.join(", ", allowed)) + ")");
                }
            }
        }
        return offences;
    }

    /**
     * Rule 1 of COMMON.md: outside {@code *Repository}, {@code *Entity} and {@code store}, no JDBC, JPA or Hibernate
     * import, no {@code tx.session()}, {@code tx.jdbc(…)} or {@code tx.update(…)}, and no SQL or HQL literal.
     */
    static List<String> persistenceOnlyInRepositories(Collection<JavaSource> sources) {
        List<String> offences = new ArrayList<>();
        for (JavaSource s : sources) {
            if (s.isIn("store") || s.fileName().endsWith("Repository.java") || s.fileName().endsWith("Entity.java")) {
                continue;
            }
            Matcher imported = PERSISTENCE_IMPORT.matcher(s.code());
            Set<String> seen = new LinkedHashSet<>();
            while (imported.find()) {
                if (seen.add(imported.group(1))) {
                    offences.add(s.at(imported.start()) + ": uses " + imported.group(1));
                }
            }
            String tx = "\\b(?:" + receivers(s) + ")(?:\\(\\))?\\s*\\.\\s*";
            report(offences, s.firstInCode(Pattern.compile(tx + "session\\s*\\(\\s*\\)")), "calls tx.session()");
            report(offences, s.firstInCode(JDBC_CALL), "calls tx.jdbc(...)");
            report(offences, s.firstInCode(Pattern.compile(tx + "update\\s*\\(")), "calls tx.update(...)");
            s.literals().stream().filter(l -> SQL.matcher(l.text()).find()).findFirst()
                    .ifPresent(l -> offences.add(s.atLine(l.line()) + ": holds SQL or HQL \"" + abbreviate(l.text()) + "\""));
        }
        return offences;
    }

    /** Rule 2 of COMMON.md: {@code http} and {@code gateway} neither hold a {@code Tx} or the {@code Database} nor open a transaction. */
    static List<String> transportsHoldNoTransactions(Collection<JavaSource> sources) {
        List<String> offences = new ArrayList<>();
        for (JavaSource s : sources) {
            if (!s.isIn("http") && !s.isIn("gateway")) {
                continue;
            }
            for (JavaSource.Reference ref : s.serverReferences()) {
                if (TRANSACTIONAL.matcher(ref.name()).matches()) {
                    offences.add(s.atLine(ref.line()) + ": uses " + ref.name());
                }
            }
            report(offences, s.firstInCode(OPENS_TRANSACTION), "opens a transaction");
            Pattern dbCall = Pattern.compile("\\b(?:db|" + databases(s) + ")\\s*\\.\\s*call\\s*\\(");
            report(offences, s.firstInCode(dbCall), "opens a transaction with db.call(...)");
        }
        return offences;
    }

    /**
     * A package of pure functions: its files (subpackages included) use no other server package and name none of
     * {@code forbidden}, the prefixes of I/O and logging ({@code "java.sql"}, {@code "java.net"}, …).
     */
    static List<String> pureFunctionsWithoutIo(Collection<JavaSource> sources, String pkg, List<String> forbidden) {
        Pattern io = Pattern.compile("\\b(?:" + forbidden.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")\\.");
        List<String> offences = new ArrayList<>();
        for (JavaSource s : sources) {
            if (!s.isIn(pkg)) {
                continue;
            }
            for (JavaSource.Reference ref : s.serverReferences()) {
                if (!JavaSource.within(ref.pkg(), pkg)) {
                    offences.add(s.atLine(ref.line()) + ": uses " + ref.name() + " outside " + pkg);
                }
            }
            Matcher m = io.matcher(s.code());
            while (m.find()) {
                offences.add(s.at(m.start()) + ": uses " + m.group().substring(0, m.group().length() - 1));
            }
        }
        return offences;
    }

    /** Rule 4 of COMMON.md: no file over {@value #MAX_LINES} lines. */
    static List<String> filesStaySmall(Collection<JavaSource> sources) {
        return sources.stream().filter(s -> s.lineCount() > MAX_LINES)
                .map(s -> s.path() + ": " + s.lineCount() + " lines (at most " + MAX_LINES + ")").toList();
    }

    private static Map<String, Set<String>> groundRules() {
        Map<String, Set<String>> ground = new LinkedHashMap<>();
        ground.put("config", Set.of());
        ground.put("error", Set.of());
        ground.put("csv", Set.of());
        ground.put("access", Set.of("error"));
        ground.put("store", new TreeSet<>(List.of("config", "error")));
        ground.put("audit", new TreeSet<>(List.of("access", "config", "csv", "error", "store")));
        return Collections.unmodifiableMap(ground);
    }

    /** The first segment of a dotted package: {@code search.text} belongs to {@code search}. */
    private static String top(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    /** The names a {@code Tx} goes by in the file: {@code tx}, variables declared {@code Tx}, and transaction lambdas' parameters. */
    private static String receivers(JavaSource s) {
        Set<String> names = new LinkedHashSet<>(List.of("tx"));
        names.addAll(declared(s, "Tx"));
        Matcher lambda = LAMBDA_TX.matcher(s.code());
        while (lambda.find()) {
            names.add(lambda.group(1));
        }
        return names.stream().map(Pattern::quote).collect(Collectors.joining("|"));
    }

    /** The names of variables declared {@code Database} in the file, or a name that matches nothing. */
    private static String databases(JavaSource s) {
        Set<String> names = declared(s, "Database");
        return names.isEmpty() ? "\\b\\B" : names.stream().map(Pattern::quote).collect(Collectors.joining("|"));
    }

    private static Set<String> declared(JavaSource s, String type) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = DECLARED.matcher(s.code());
        while (m.find()) {
            if (m.group().startsWith(type)) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String displayed(List<String> packages, String separator) {
        return packages.stream().map(ImportGraph::display).collect(Collectors.joining(separator));
    }

    private static void report(List<String> offences, String where, String what) {
        if (where != null) {
            offences.add(where + ": " + what);
        }
    }

    private static String abbreviate(String literal) {
        String flat = literal.strip().replaceAll("\\s+", " ");
        return flat.length() <= 40 ? flat : flat.substring(0, 40) + "…";
    }
}
