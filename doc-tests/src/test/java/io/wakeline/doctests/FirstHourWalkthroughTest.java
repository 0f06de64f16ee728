package io.wakeline.doctests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/first-hour.md, run as a newcomer would: its {@code sh} blocks in order, in one bash session, from the
 * repository's root, against the packaged node, simulator and load test (this module builds after them), with
 * the ports and the directory the document lets one override. Each block's output is checked for what the
 * document says it shows. The build block is skipped: the Maven run executing this test has just done it.
 */
class FirstHourWalkthroughTest {
    private static final long RUN_LIMIT_SECONDS = 240;
    private static final Pattern BLOCK_OUTPUT = Pattern.compile("@@block (\\d+) start@@\\n(.*?)@@block \\1 status (\\d+)@@", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private final List<Path> pidFiles = new ArrayList<>();

    @AfterEach
    void stopWhatTheWalkthroughLeftRunning() throws Exception {
        // the document's last block sends both SIGTERM; this ends what is still draining, or a run that failed
        // before that block
        for (Path pidFile : pidFiles) {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(process -> {
                    process.destroyForcibly();
                    process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
                });
            }
        }
    }

    @Test
    void everyStepOfTheWalkthroughWorksAsWritten() throws Exception {
        Path root = Repository.root();
        boolean npm = Files.isDirectory(root.resolve("compat/node_modules/web-push"));
        if (Repository.inCi()) {
            assertTrue(npm, "compat/node_modules is missing: .ci/run installs it with npm ci");
        }
        assumeTrue(npm, "run `(cd compat && npm ci)` once for the Web Push step");
        for (String launcher : List.of("broker-node", "device-simulator", "load-test")) {
            assertTrue(Files.isDirectory(root.resolve(launcher + "/target/dist/bin")), launcher + " is packaged");
        }

        ShellBlocks document = ShellBlocks.of(Repository.read("docs/first-hour.md"));
        List<ShellBlocks.Block> skipped = document.skipped();
        assertEquals(1, skipped.size(), "only the build is skipped");
        assertTrue(skipped.get(0).code().startsWith("mvn -B -q -DskipTests package")
                && skipped.get(0).code().contains("npm ci"), "the skipped block is the build this test's Maven run did");

        List<ShellBlocks.Block> blocks = document.run();
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            script.append("echo '@@block ").append(i).append(" start@@'\n").append(blocks.get(i).code())
                    .append("echo \"@@block ").append(i).append(" status $?@@\"\n");
        }
        Path scriptFile = work.resolve("walkthrough.sh");
        Files.writeString(scriptFile, script);
        Path firstHour = work.resolve("first-hour");
        pidFiles.add(firstHour.resolve("simulator.pid"));
        pidFiles.add(firstHour.resolve("node.pid"));
        int httpsPort = Repository.freePort();

        ProcessBuilder bash = new ProcessBuilder("bash", scriptFile.toString()).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("output.txt").toFile());
        Map<String, String> env = bash.environment();
        env.keySet().removeIf(name -> name.startsWith("WAKELINE_") || name.equals("JAVA_OPTS"));
        env.put("FIRST_HOUR", firstHour.toString());
        env.put("WAKELINE_HTTPS_PORT", Integer.toString(httpsPort));
        env.put("WAKELINE_DEVICE_PORT", Integer.toString(Repository.freePort()));
        env.put("WAKELINE_MANAGEMENT_PORT", Integer.toString(Repository.freePort()));
        env.put("WAKELINE_REMOTING_PORT", Integer.toString(Repository.freePort()));
        Process process = bash.start();
        if (!process.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the walkthrough did not finish within " + RUN_LIMIT_SECONDS + " s:\n" + output(work) + logs(firstHour));
        }
        String output = output(work);
        Map<String, String> byHeading = new LinkedHashMap<>();
        Matcher block = BLOCK_OUTPUT.matcher(output);
        while (block.find()) {
            ShellBlocks.Block source = blocks.get(Integer.parseInt(block.group(1)));
            assertEquals("0", block.group(3), "'" + source.heading() + "' failed:\n" + block.group(2) + logs(firstHour));
            byHeading.put(source.heading(), block.group(2));
        }
        assertEquals(blocks.size(), byHeading.size(), "every block ran:\n" + output + logs(firstHour));

        String base = "https://localhost:" + httpsPort;
        assertShows(byHeading, "3. Start a node", "node ready");
        assertShows(byHeading, "4. Start 1,000 devices", "script: 4 step(s) done, 0 failure(s)",
                "web-push-subscribe dev-0 1: dev-0 subscribed " + base + "/wp/",
                "lock-screen dev-1 1 allow: dev-1 lock screen ALLOWED_",
                "control-channel dev-1 1 orders: dev-1 SOFTWARE_SLOT_ALLOCATED " + base + "/cc/");
        assertShows(byHeading, "5. A raw push with curl", "HTTP/2 200", "x-wns-status: received",
                "x-wns-deviceconnectionstatus: connected", "received RAW for ms-app://S-1-15-2-1 (FOREGROUND_EVENT): hello device");
        assertShows(byHeading, "6. A Web Push with the `web-push` command line", "Push message sent.",
                "dev-0 received web push for ms-app://S-1-15-2-1: Hello from web-push (decrypted)");
        String control = byHeading.get("7. A guaranteed control message and its receipts");
        assertShows(byHeading, "7. A guaranteed control message and its receipts", "HTTP/2 201", "event: receipt");
        Matcher messageId = Pattern.compile("x-wakeline-message-id: (\\S+)").matcher(control);
        assertTrue(messageId.find(), control);
        for (String fate : List.of("accepted", "delivered", "acked")) {
            assertTrue(control.contains("\"messageId\":\"" + messageId.group(1) + "\",\"fate\":\"" + fate + "\""),
                    fate + " receipt on the stream:\n" + control);
        }
        assertShows(byHeading, "8. A load test and its HTML report", "warm-up", "measured", "p99", "achieved send rate",
                "transport errors             0", "HTML report");
        // every measured send got its 200 and X-WNS-Status: received (how many were sent depends on how busy the
        // machine is: a send due while 256 are in flight is skipped, by design)
        String table = byHeading.get("8. A load test and its HTML report");
        Matcher sentLine = Pattern.compile("(?m)^sent +(\\d+)$").matcher(table);
        assertTrue(sentLine.find(), table);
        long sent = Long.parseLong(sentLine.group(1));
        assertTrue(sent > 500, "at least a second's worth was sent:\n" + table);
        assertTrue(table.contains("by HTTP status               200: " + sent + "\n")
                && table.contains("received " + sent + ","), "every send answered 200, received:\n" + table);

        Path html = firstHour.resolve("load-report.html");
        String page = Files.readString(html);
        assertFalse(page.contains("<script src") || page.contains("<link"), "the report loads nothing");
        String open = "<script type=\"application/json\" id=\"run-report-data\">";
        JsonNode data = JSON.readTree(page.substring(page.indexOf(open) + open.length(), page.indexOf("</script>", page.indexOf(open))));
        assertTrue(data.path("notes").get(0).asText().contains("warm-up of 5.000 s"), data.path("notes").toString());
        assertEquals(sent, data.path("details").path("sent").asLong());
        assertTrue(data.path("timeSeries").size() >= 4 && data.path("distributions").get(0).path("curves").get(0)
                .path("percentiles").size() > 10, "charts over time and the latency distribution");

        // the last block stopped both; the simulator said goodbye with its final line (the node's drain is left
        // to @AfterEach, which ends it at once: its graceful stop is tested elsewhere and takes a while)
        long simulator = Long.parseLong(Files.readString(firstHour.resolve("simulator.pid")).trim());
        ProcessHandle.of(simulator).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        assertTrue(Files.readString(firstHour.resolve("simulator.log")).contains("final devices=1000"));
    }

    private static void assertShows(Map<String, String> byHeading, String heading, String... expected) {
        String shown = byHeading.get(heading);
        assertTrue(shown != null, "no block under '" + heading + "': the document's headings changed? " + byHeading.keySet());
        for (String text : expected) {
            assertTrue(shown.contains(text), "'" + heading + "' should show '" + text + "':\n" + shown);
        }
    }

    private static String output(Path work) throws IOException {
        return Files.readString(work.resolve("output.txt"), StandardCharsets.UTF_8);
    }

    private static String logs(Path firstHour) throws IOException {
        StringBuilder logs = new StringBuilder();
        for (String name : List.of("node.log", "simulator.log")) {
            Path log = firstHour.resolve(name);
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                logs.append("\n---- last lines of ").append(name).append(":\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
        }
        return logs.toString();
    }
}
