package io.wakeline.doctests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/operations.md keeps up with what the node and its launchers read. */
class OperationsDocTest {
    private static final Pattern CONF_VARIABLE = Pattern.compile("\\$\\{\\?([A-Z][A-Z0-9_]*)}");
    private static final Pattern GETENV = Pattern.compile("getenv\\(\"([A-Z][A-Z0-9_]*)\"\\)");
    private static final Pattern LAUNCHER_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    @Test
    void everyEnvironmentVariableTheNodeReadsIsDocumented() {
        Set<String> read = new TreeSet<>();
        Path main = Repository.root().resolve("broker-node/src/main");
        files(main.resolve("resources"), ".conf").forEach(file -> collect(CONF_VARIABLE, file, read));
        files(main.resolve("java"), ".java").forEach(file -> collect(GETENV, file, read));
        collect(LAUNCHER_VARIABLE, main.resolve("dist/bin/wakeline-broker"), read);
        assertTrue(read.containsAll(Set.of("WAKELINE_DEBUG_TRACE", "WAKELINE_SANDBOX_OTHER_APP_CPU", "WAKELINE_APPS_FILE",
                "WAKELINE_JAVA_OPTS", "JAVA_OPTS")), "the scan finds what it must: " + read);

        String operations = Repository.read("docs/operations.md");
        Set<String> missing = new TreeSet<>();
        for (String variable : read) {
            if (!operations.contains("`" + variable + "`") && !documentedAsFamily(operations, variable)) {
                missing.add(variable);
            }
        }
        assertEquals(Set.of(), missing, "read by the node but not in docs/operations.md");
    }

    /** {@code WAKELINE_SANDBOX_OTHER_APP_PERIOD` / `_CPU`}: a row naming the first and the others' suffixes. */
    private static boolean documentedAsFamily(String operations, String variable) {
        int cut = variable.lastIndexOf('_');
        return cut > 0 && operations.contains("`" + variable.substring(cut) + "`")
                && operations.contains("`" + variable.substring(0, cut) + "_");
    }

    private static void collect(Pattern pattern, Path file, Set<String> into) {
        try {
            Matcher matcher = pattern.matcher(Files.readString(file));
            while (matcher.find()) {
                into.add(matcher.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.List<Path> files(Path dir, String suffix) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(file -> file.toString().endsWith(suffix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
