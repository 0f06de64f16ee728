package io.wakeline.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of broker-node's packages, read from the imports of its main sources (docs/architecture.md): no
 * import cycle between any two packages, and the device side never imports a gateway.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.wakeline\\.broker\\.[\\w.]+?)\\.[A-Z]",
            Pattern.MULTILINE);
    private static final String DEVICE = "io.wakeline.broker.device";

    @Test
    void theDeviceSideImportsNoGateway() throws IOException {
        List<String> offending = new ArrayList<>();
        imports().forEach((pkg, targets) -> targets.stream()
                .filter(t -> isDevice(pkg) && t.startsWith("io.wakeline.broker.gateway"))
                .forEach(t -> offending.add(pkg + " -> " + t)));
        assertEquals(List.of(), offending);
    }

    @Test
    void noTwoPackagesImportEachOtherDirectlyOrThroughOthers() throws IOException {
        Map<String, Set<String>> graph = imports();
        assertTrue(graph.keySet().stream().anyMatch(PackageDependenciesTest::isDevice), "the device packages were read");
        List<Set<String>> cycles = stronglyConnected(graph).stream().filter(component -> component.size() > 1).toList();
        assertEquals(List.of(), cycles);
    }

    private static boolean isDevice(String pkg) {
        return pkg.equals(DEVICE) || pkg.startsWith(DEVICE + ".");
    }

    /** Package → the other broker packages its classes import. */
    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
                Set<String> targets = graph.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        targets.add(m.group(1));
                    }
                }
            }
        }
        return graph;
    }

    /** Tarjan's strongly connected components. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                visit(node, graph, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private static void visit(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                              List<Set<String>> components) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                visit(next, graph, index, low, stack, onStack, components);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }
}
