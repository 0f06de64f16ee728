package io.wakeline.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorCommandLineTest {

    @Test
    void everyFlagReachesTheConfig() {
        SimulatorCommandLine parsed = SimulatorCommandLine.parse(List.of(
                "--host", "127.0.0.1", "--port", "7400", "--devices", "500", "--prefix", "sim-",
                "--first-index", "1000", "--fleet-secret-hex", "00ff10", "--apps", "ms-app://S-1-15-2-1, ms-app://S-1-15-2-2",
                "--source-addresses=127.0.0.2,127.0.0.3", "--connect-rate", "250", "--backoff-min-millis", "200",
                "--backoff-max-millis", "9000", "--channel-file", "/tmp/ch.jsonl", "--duration-seconds", "60",
                "--summary-interval-seconds", "2"), Map.of());

        SimulatorCommandLine.Run run = assertInstanceOf(SimulatorCommandLine.Run.class, parsed);
        SimulatorConfig config = run.config();
        assertEquals(7400, config.port());
        assertEquals(500, config.deviceCount());
        assertEquals("sim-1000", config.deviceId(0));
        assertArrayEquals(new byte[] {0x00, (byte) 0xFF, 0x10}, config.fleetSecret());
        assertEquals(List.of("ms-app://S-1-15-2-1", "ms-app://S-1-15-2-2"), config.appIds());
        assertEquals(List.of("127.0.0.2", "127.0.0.3"), config.sourceAddresses());
        assertEquals(250, config.connectRatePerSecond());
        assertEquals(Duration.ofMillis(200), config.reconnectBackoffMin());
        assertEquals(Duration.ofSeconds(9), config.reconnectBackoffMax());
        assertEquals(Path.of("/tmp/ch.jsonl"), config.channelFile());
        assertEquals(Duration.ofSeconds(60), run.duration());
        assertEquals(Duration.ofSeconds(2), run.summaryInterval());
    }

    @Test
    void fleetSecretComesFromTheEnvironmentWhenNoFlagGivesIt() {
        SimulatorCommandLine parsed = SimulatorCommandLine.parse(List.of("--port", "7400"),
                Map.of(SimulatorCommandLine.FLEET_SECRET_ENV, "abcd"));

        SimulatorCommandLine.Run run = assertInstanceOf(SimulatorCommandLine.Run.class, parsed);
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xCD}, run.config().fleetSecret());
        assertEquals(Duration.ZERO, run.duration(), "runs until interrupted by default");
    }

    @Test
    void helpWinsOverEverythingElse() {
        assertInstanceOf(SimulatorCommandLine.ShowHelp.class, SimulatorCommandLine.parse(List.of("--port", "1", "--help"), Map.of()));
    }

    @Test
    void mistakesAreReportedNotThrown() {
        assertProblem("--port is required", List.of("--fleet-secret-hex", "00"));
        assertProblem("fleet secret is required", List.of("--port", "7400"));
        assertProblem("unknown option: --devcies", List.of("--devcies", "5"));
        assertProblem("--devices needs a whole number", List.of("--port", "1", "--fleet-secret-hex", "00", "--devices", "many"));
        assertProblem("missing value for --port", List.of("--port"));
        assertProblem("deviceCount must be positive", List.of("--port", "1", "--fleet-secret-hex", "00", "--devices", "0"));
    }

    private static void assertProblem(String expected, List<String> args) {
        SimulatorCommandLine.Invalid invalid = assertInstanceOf(SimulatorCommandLine.Invalid.class,
                SimulatorCommandLine.parse(args, Map.of()));
        assertTrue(invalid.problem().contains(expected), invalid.problem());
    }
}
