package jp.kairan.server.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The packages of {@code jp.kairan.server} and which one uses which: an edge from a file's package to every server
 * package it names in code, by import or by fully-qualified name. Each edge keeps the first file and line (in path
 * order) that makes it, as evidence. Immutable once built.
 */
public final class ImportGraph {
    private final Set<String> packages = new TreeSet<>();
    private final Map<String, Map<String, String>> edges = new TreeMap<>();

    private ImportGraph() {}

    /** The graph of {@code sources}; a package is the directory of a file, the root package included. */
    public static ImportGraph of(Collection<JavaSource> sources) {
        ImportGraph graph = new ImportGraph();
        for (JavaSource source : sources.stream().sorted((a, b) -> a.path().compareTo(b.path())).toList()) {
            graph.packages.add(source.pkg());
            Map<String, String> out = graph.edges.computeIfAbsent(source.pkg(), k -> new TreeMap<>());
            for (JavaSource.Reference ref : source.serverReferences()) {
                if (!ref.pkg().equals(source.pkg())) {
                    out.putIfAbsent(ref.pkg(), source.atLine(ref.line()));
                }
            }
        }
        return graph;
    }

    /** A package as people write it: dotted and relative to the root, which shows as {@code (root)}. */
    public static String display(String pkg) {
        return pkg.isEmpty() ? "(root)" : pkg;
    }

    public Set<String> packages() {
        return packages;
    }

    /** The packages {@code pkg} uses, each with the {@code path:line} that first shows it. */
    public Map<String, String> dependencies(String pkg) {
        return edges.getOrDefault(pkg, Map.of());
    }

    /**
     * The strongly connected components of more than one package, each sorted, found with Tarjan's algorithm: every
     * package of one of them reaches every other, so each is at least one cycle.
     */
    public List<List<String>> cycles() {
        Tarjan tarjan = new Tarjan();
        for (String pkg : packages) {
            if (!tarjan.index.containsKey(pkg)) {
                tarjan.connect(pkg);
            }
        }
        return tarjan.components.stream().filter(c -> c.size() > 1).map(c -> List.copyOf(new TreeSet<>(c))).toList();
    }

    /** A shortest way from {@code from} back to itself inside {@code component}, as the list of packages passed. */
    public List<String> cycleThrough(String from, Collection<String> component) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            String at = queue.removeFirst();
            for (String next : dependencies(at).keySet()) {
                if (next.equals(from)) {
                    List<String> way = new ArrayList<>(List.of(from));
                    for (String p = at; !p.equals(from); p = parent.get(p)) {
                        way.add(1, p);
                    }
                    way.add(from);
                    return way;
                }
                if (component.contains(next) && !parent.containsKey(next)) {
                    parent.put(next, at);
                    queue.addLast(next);
                }
            }
        }
        return List.of();
    }

    /** Tarjan's strongly connected components, recursive: the server has a few dozen packages at most. */
    private final class Tarjan {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new TreeSet<>();
        final List<List<String>> components = new ArrayList<>();

        void connect(String v) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            onStack.add(v);
            for (String w : dependencies(v).keySet()) {
                if (!index.containsKey(w)) {
                    connect(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                List<String> component = new ArrayList<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                components.add(component);
            }
        }
    }
}
