package io.wakeline.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void gatewaysReplaceHostAndPort() {
        SimulatorCommandLine.Run run = assertInstanceOf(SimulatorCommandLine.Run.class, SimulatorCommandLine.parse(
                List.of("--gateways", "127.0.0.1:7400,127.0.0.1:7401", "--fleet-secret-hex", "00"), Map.of()));
        assertEquals(List.of(new GatewayAddress("127.0.0.1", 7400), new GatewayAddress("127.0.0.1", 7401)),
                run.config().gateways());

        assertInstanceOf(SimulatorCommandLine.Invalid.class, SimulatorCommandLine.parse(
                List.of("--gateways", "127.0.0.1:7400", "--port", "7401", "--fleet-secret-hex", "00"), Map.of()));
        assertInstanceOf(SimulatorCommandLine.Invalid.class, SimulatorCommandLine.parse(
                List.of("--gateways", "127.0.0.1:7400", "--host", "10.0.0.1", "--fleet-secret-hex", "00"), Map.of()));
        assertInstanceOf(SimulatorCommandLine.Invalid.class, SimulatorCommandLine.parse(
                List.of("--fleet-secret-hex", "00"), Map.of()));
        assertInstanceOf(SimulatorCommandLine.Invalid.class, SimulatorCommandLine.parse(
                List.of("--gateways", "127.0.0.1", "--fleet-secret-hex", "00"), Map.of()));
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
    void theDeviceModelIsOffUnlessAskedFor() {
        SimulatorCommandLine.Run plain = assertInstanceOf(SimulatorCommandLine.Run.class,
                SimulatorCommandLine.parse(List.of("--port", "7400", "--fleet-secret-hex", "00", "--seed", "99"), Map.of()));
        assertEquals(DeviceModelMode.OFF, plain.config().deviceModel());
        assertEquals(99, plain.config().seed());
        assertEquals(DevicePopulation.defaults(), plain.config().population());

        SimulatorCommandLine.Run switched = assertInstanceOf(SimulatorCommandLine.Run.class,
                SimulatorCommandLine.parse(List.of("--port", "7400", "--device-model", "--fleet-secret-hex", "00"), Map.of()));
        assertEquals(DeviceModelMode.AUTOMATIC, switched.config().deviceModel());
        assertEquals(DevicePopulation.defaults(), switched.config().population());
        assertEquals(1, switched.config().seed(), "reproducible by default");
    }

    @Test
    void populationFlagsReachThePopulationAndSwitchTheModelOn() {
        SimulatorCommandLine.Run run = assertInstanceOf(SimulatorCommandLine.Run.class, SimulatorCommandLine.parse(List.of(
                "--port", "7400", "--fleet-secret-hex", "00", "--time-scale", "60", "--connected-standby-share", "0.2",
                "--chipset-only-share", "0.05", "--battery-share", "0.8", "--power-source-minutes", "0",
                "--active-minutes", "10", "--standby-minutes", "2.5", "--foreground-share", "0.25",
                "--suspended-share", "0.5", "--app-state-minutes", "3", "--lock-screen-share", "0.6",
                "--consent-probability", "0.9", "--control-channel-share", "0.4", "--control-channels-per-app", "3",
                "--hardware-slot-share", "0.75", "--keep-alive-minutes", "30", "--time-trigger-share", "0.1",
                "--maintenance-trigger-share", "0.15", "--trigger-freshness-minutes", "60",
                "--task-cpu-millis", "10-20", "--task-network-bytes=300"), Map.of()));

        assertEquals(DeviceModelMode.AUTOMATIC, run.config().deviceModel());
        assertEquals(DevicePopulation.builder()
                .hardware(0.2, 0.05)
                .batteryShare(0.8)
                .powerSourcePeriod(Duration.ZERO)
                .powerCycle(Duration.ofMinutes(10), Duration.ofSeconds(150))
                .appStates(0.25, 0.5, Duration.ofMinutes(3))
                .lockScreen(0.6, 0.9)
                .controlChannels(0.4, 3, 0.75, 30)
                .triggers(0.1, 0.15, 60)
                .taskUsage(new LongRange(10, 20), new LongRange(300, 300))
                .timeScale(60)
                .build(), run.config().population());
    }

    @Test
    void anExplicitOffWinsOverPopulationFlags() {
        SimulatorCommandLine.Run run = assertInstanceOf(SimulatorCommandLine.Run.class, SimulatorCommandLine.parse(List.of(
                "--port", "7400", "--fleet-secret-hex", "00", "--lock-screen-share", "1", "--device-model=off"), Map.of()));
        assertEquals(DeviceModelMode.OFF, run.config().deviceModel());
        assertEquals(1.0, run.config().population().lockScreenShare());
    }

    @Test
    void helpWinsOverEverythingElse() {
        SimulatorCommandLine.ShowHelp help = assertInstanceOf(SimulatorCommandLine.ShowHelp.class,
                SimulatorCommandLine.parse(List.of("--port", "1", "--help"), Map.of()));
        assertTrue(help.usage().startsWith("Usage: wakeline-simulator"), help.usage());
        assertTrue(help.usage().contains("--connected-standby-share=S") && help.usage().contains("(default: 0.3)"),
                "the population's own defaults are shown");
        assertTrue(help.usage().contains("web-push-subscribe DEVICES APP") && help.usage().contains("Exit status:"));
    }

    @Test
    void optionsMayComeFromAnArgumentFileAndLaterOnesWin(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("fleet.args");
        java.nio.file.Files.writeString(file, "# the fleet\n--port 7400 --devices 20\n--fleet-secret-hex 00\n");

        SimulatorCommandLine.Run run = assertInstanceOf(SimulatorCommandLine.Run.class,
                SimulatorCommandLine.parse(List.of("@" + file, "--devices", "30"), Map.of()));

        assertEquals(7400, run.config().port());
        assertEquals(30, run.config().deviceCount());
    }

    @Test
    void scriptStepsComeFromAFileAndFromDoInThatOrder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path script = dir.resolve("steps.txt");
        java.nio.file.Files.writeString(script, "# windows\nsleep 2s\noffline dev-0..dev-2\n\nonline all  # back\n");

        SimulatorCommandLine.Run run = assertInstanceOf(SimulatorCommandLine.Run.class, SimulatorCommandLine.parse(List.of(
                "--port", "7400", "--fleet-secret-hex", "00", "--devices", "5", "--apps", "ms-app://S-1-15-2-1",
                "--script", script.toString(), "--do", "web-push-subscribe dev-4 1", "--print-notifications", "7"), Map.of()));

        assertEquals(4, run.script().size());
        assertEquals(new ScriptStep.Sleep(script.toString(), 2, "sleep 2s", Duration.ofSeconds(2)), run.script().get(0));
        ScriptStep.OnDevices offline = assertInstanceOf(ScriptStep.OnDevices.class, run.script().get(1));
        assertEquals(List.of("dev-0", "dev-1", "dev-2"), offline.deviceIds());
        assertEquals(5, assertInstanceOf(ScriptStep.OnDevices.class, run.script().get(2)).deviceIds().size());
        ScriptStep.OnDevices subscribe = assertInstanceOf(ScriptStep.OnDevices.class, run.script().get(3));
        assertEquals("ms-app://S-1-15-2-1",
                assertInstanceOf(DeviceAction.WebPushSubscribe.class, subscribe.action()).appId(), "app by position");
        assertEquals(7, run.printNotifications());

        assertProblem("steps.txt line 3", List.of("--port", "1", "--fleet-secret-hex", "00", "--script", script.toString(),
                "--devices", "2"));
        assertProblem("--do #1 line 1 (power dev-0 warp): 'warp' is not one of", List.of("--port", "1",
                "--fleet-secret-hex", "00", "--do", "power dev-0 warp"));
    }

    @Test
    void theForegroundReportCanBeSwitchedOff() {
        SimulatorCommandLine.Run on = assertInstanceOf(SimulatorCommandLine.Run.class,
                SimulatorCommandLine.parse(List.of("--port", "7400", "--fleet-secret-hex", "00"), Map.of()));
        SimulatorCommandLine.Run off = assertInstanceOf(SimulatorCommandLine.Run.class,
                SimulatorCommandLine.parse(List.of("--port", "7400", "--fleet-secret-hex", "00", "--no-foreground-apps"), Map.of()));
        assertTrue(on.config().reportAppsInForeground());
        assertFalse(off.config().reportAppsInForeground());
    }

    @Test
    void mistakesAreReportedNotThrown() {
        assertProblem("--port is required", List.of("--fleet-secret-hex", "00"));
        assertProblem("fleet secret is required", List.of("--port", "7400"));
        assertProblem("Unknown options: '--devcies'", List.of("--devcies", "5"));
        assertProblem("'many' is not an int", List.of("--port", "1", "--fleet-secret-hex", "00", "--devices", "many"));
        assertProblem("Missing required parameter for option '--port'", List.of("--port"));
        assertProblem("deviceCount must be positive", List.of("--port", "1", "--fleet-secret-hex", "00", "--devices", "0"));
        assertProblem("--task-cpu-millis: not a range", List.of("--port", "1", "--fleet-secret-hex", "00", "--task-cpu-millis", "lots"));
        assertProblem("keepAliveMinutes must be 15..1439", List.of("--port", "1", "--fleet-secret-hex", "00", "--keep-alive-minutes", "5"));
        assertProblem("--device-model is automatic or off", List.of("--port", "1", "--fleet-secret-hex", "00", "--device-model=maybe"));
        assertProblem("option '--consent-probability': 'most' is not a double", List.of("--port", "1", "--fleet-secret-hex", "00", "--consent-probability", "most"));
    }

    private static void assertProblem(String expected, List<String> args) {
        SimulatorCommandLine.Invalid invalid = assertInstanceOf(SimulatorCommandLine.Invalid.class,
                SimulatorCommandLine.parse(args, Map.of()));
        assertTrue(invalid.problem().contains(expected), invalid.problem());
    }
}
