package io.wakeline.doctests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every script step of the simulator's command line against a real node, both packaged as an operator runs
 * them: the node registers two apps at start (one from WAKELINE_APP_SID/SECRET, one from WAKELINE_APPS_FILE),
 * and each step's line says what the node answered.
 */
class SimulatorScriptAgainstNodeTest {
    private static final String FIRST_APP = "ms-app://S-1-15-2-1";
    private static final String SECOND_APP = "ms-app://S-1-15-2-2";

    @TempDir
    Path work;

    @Test
    void everyScriptStepReachesTheNodeAndSaysWhatItAnswered() throws Exception {
        Path apps = work.resolve("apps.txt");
        Files.writeString(apps, "# registered at start, beside WAKELINE_APP_SID\n" + SECOND_APP + "  second-secret\n");
        Path script = work.resolve("steps.txt");
        Files.writeString(script, """
                await-channels 30s
                power dev-0 active mains
                app-state dev-0 2 suspended
                lock-screen dev-0 2 allow tasks=push-notification,control-channel,timer
                trigger dev-0 2 push-notification
                trigger dev-0 2 time freshness=15
                background-task dev-0 2 time cpu-ms=20 network-bytes=100
                control-channel dev-0 2 cc-1 hardware keep-alive=30
                control-upstream dev-0 2 cc-1 hello app server
                close-control-channel dev-0 2 cc-1
                web-push-subscribe dev-1 1
                web-push-unsubscribe dev-1 1
                close-channel dev-1 1
                offline dev-2
                online dev-2
                lock-screen-remove dev-0 2
                power dev-0 connected-standby battery battery-saver
                """);
        try (PackagedNode node = new PackagedNode(work.resolve("data"), Map.of("WAKELINE_APP_SID", FIRST_APP,
                "WAKELINE_APP_SECRET", "first-secret", "WAKELINE_APPS_FILE", apps.toString()))) {
            Path channels = work.resolve("channels.jsonl");
            ProcessBuilder simulator = new ProcessBuilder(Repository.root().resolve("device-simulator/target/dist/bin/wakeline-simulator").toString(),
                    "--port", Integer.toString(node.devicePort), "--devices", "3", "--apps", FIRST_APP + "," + SECOND_APP,
                    "--channel-file", channels.toString(), "--script", script.toString(), "--stop-after-script",
                    "--summary-interval-seconds", "5")
                    .redirectErrorStream(true).redirectOutput(work.resolve("simulator.log").toFile());
            simulator.environment().keySet().removeIf(name -> name.startsWith("WAKELINE_") || name.equals("JAVA_OPTS"));
            simulator.environment().put("WAKELINE_FLEET_SECRET", node.fleetSecretHex());
            Process process = simulator.start();
            boolean ended = process.waitFor(120, TimeUnit.SECONDS);
            String printed = Files.readString(work.resolve("simulator.log"), StandardCharsets.UTF_8);
            if (!ended) {
                process.destroyForcibly();
            }
            assertTrue(ended, "the run ends after its script:\n" + printed);
            assertEquals(0, process.exitValue(), printed + "\n---- node log:\n" + node.log());

            assertTrue(printed.contains("script: 17 step(s) done, 0 failure(s)"), printed);
            for (String answer : List.of(
                    "power dev-0 active mains: dev-0 reported ACTIVE on MAINS",
                    "app-state dev-0 2 suspended: dev-0 reported " + SECOND_APP + " SUSPENDED",
                    "dev-0 lock screen ALLOWED_WITH_ALWAYS_ON_REAL_TIME_CONNECTIVITY (prompt answered CONSENT_ALLOW)",
                    "dev-0 PUSH_NOTIFICATION_TRIGGER registered",
                    "dev-0 TIME_TRIGGER registered",
                    "background-task dev-0 2 time cpu-ms=20 network-bytes=100: dev-0 verdict ",
                    "dev-0 HARDWARE_SLOT_ALLOCATED https://localhost:" + node.httpsPort + "/cc/",
                    "dev-0 sent upstream 1",
                    "close-control-channel dev-0 2 cc-1: dev-0 closed",
                    "dev-1 subscribed https://localhost:" + node.httpsPort + "/wp/",
                    "dev-1 unsubscribed 1",
                    "close-channel dev-1 1: dev-1 closed [",
                    "dev-2 offline",
                    "dev-2 linked",
                    "lock-screen-remove dev-0 2: dev-0 lock screen ",
                    "dev-0 reported CONNECTED_STANDBY on BATTERY with battery saver")) {
                assertTrue(printed.contains(answer), "'" + answer + "' in:\n" + printed);
            }
            // both apps were registered at start: every device got a channel for each
            assertTrue(printed.contains("final devices=3") && printed.contains("channels=6"), printed);
            String lines = Files.readString(channels);
            assertTrue(lines.contains("\"kind\":\"web-push\"") && lines.contains("\"p256dh\":\"B")
                    && lines.contains("\"kind\":\"control\""), lines);

            var device = node.adminGet("/admin/devices/dev-0");
            assertEquals(200, device.statusCode(), device.body());
            assertTrue(device.body().contains(SECOND_APP), "the node knows dev-0's second app: " + device.body());
        }
    }
}
