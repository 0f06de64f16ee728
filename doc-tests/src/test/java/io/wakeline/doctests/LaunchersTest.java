package io.wakeline.doctests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launchers' JVM options, as docs/operations.md describes them: WAKELINE_JAVA_OPTS adds to the defaults,
 * JAVA_OPTS replaces them. {@code -XX:+PrintCommandLineFlags -version} makes the JVM print its flags and exit
 * before the main class runs.
 */
class LaunchersTest {

    @Test
    void extraJvmOptionsAddToTheDefaultsAndJavaOptsReplacesThem() throws Exception {
        for (String launcher : List.of("broker-node/target/dist/bin/wakeline-broker",
                "device-simulator/target/dist/bin/wakeline-simulator", "load-test/target/dist/bin/wakeline-load-test")) {
            String added = flags(launcher, Map.of("WAKELINE_JAVA_OPTS", "-XX:+PrintCommandLineFlags -version"));
            assertTrue(added.contains("-XX:+UseParallelGC") && added.contains("-XX:MaxHeapSize="), launcher + ": " + added);
            long defaultHeap = maxHeap(added);
            assertTrue(defaultHeap == 1L << 30 || defaultHeap == 2L << 30, launcher + " keeps its -Xmx: " + added);

            String raised = flags(launcher, Map.of("WAKELINE_JAVA_OPTS", "-Xmx1536m -XX:+PrintCommandLineFlags -version"));
            assertEquals(1536L << 20, maxHeap(raised), "a repeated option wins: " + raised);

            String replaced = flags(launcher, Map.of("JAVA_OPTS", "-XX:+UseSerialGC -XX:+PrintCommandLineFlags -version"));
            assertTrue(replaced.contains("-XX:+UseSerialGC") && !replaced.contains("UseParallelGC"), launcher + ": " + replaced);
        }
    }

    private static String flags(String launcher, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Repository.root().resolve(launcher).toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.equals("JAVA_OPTS") || name.equals("WAKELINE_JAVA_OPTS"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), launcher);
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static long maxHeap(String flags) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
        assertTrue(matcher.find(), flags);
        return Long.parseLong(matcher.group(1));
    }
}
