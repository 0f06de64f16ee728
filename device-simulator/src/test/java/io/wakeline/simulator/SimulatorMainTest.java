package io.wakeline.simulator;

import static io.wakeline.simulator.DeviceSimulatorTest.FLEET_SECRET;
import static io.wakeline.simulator.DeviceSimulatorTest.MAIL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.BackgroundTaskVerdict;
import io.wakeline.protocol.v1.ControlChannelOperation;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Envelope.BodyCase;
import io.wakeline.protocol.v1.LockScreenConsent;
import io.wakeline.protocol.v1.PowerSource;
import io.wakeline.protocol.v1.PowerState;
import io.wakeline.protocol.v1.TriggerKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end against {@link FakeBroker}: progress lines, a script of device actions, exit codes. */
@Timeout(60)
class SimulatorMainTest {
    @TempDir
    Path work;

    private FakeBroker broker;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startBroker() throws Exception {
        broker = new FakeBroker(FLEET_SECRET, Set.of(MAIL), 1);
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.close();
    }

    private int run(boolean terminal, String... args) throws InterruptedException {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(broker.port()), "--apps", MAIL,
                "--fleet-secret-hex", HexFormat.of().formatHex(FLEET_SECRET), "--summary-interval-seconds", "1",
                "--backoff-min-millis", "100", "--backoff-max-millis", "1000"));
        all.addAll(List.of(args));
        return SimulatorMain.execute(all, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
    }

    @Test
    void aScriptDrivesEveryKindOfDeviceActionAndEachStepSaysHowItWent() throws Exception {
        broker.queueTaskVerdicts(BackgroundTaskVerdict.RUN);
        Path script = work.resolve("actions.txt");
        Files.writeString(script, """
                await-channels 10s
                power dev-0 connected-standby battery battery-saver
                app-state dev-0 1 suspended
                lock-screen dev-0 1 allow
                trigger dev-0 1 time freshness=30
                background-task dev-0 1 time cpu-ms=40 network-bytes=500
                control-channel dev-0 1 cc-1 hardware keep-alive=20
                control-upstream dev-0 1 cc-1 hello app server
                close-control-channel dev-0 1 cc-1
                offline dev-1
                online dev-1
                """);

        int status = run(false, "--devices", "2", "--duration-seconds", "4", "--script", script.toString());

        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(SimulatorMain.EXIT_OK, status, printed + err);
        assertTrue(printed.contains("script: 11 step(s) done, 0 failure(s)"), printed);
        assertTrue(printed.contains("lock screen ALLOWED_WITH_ALWAYS_ON_REAL_TIME_CONNECTIVITY (prompt answered CONSENT_ALLOW)"), printed);
        assertTrue(printed.contains("TIME_TRIGGER registered"), printed);
        assertTrue(printed.contains("verdict RUN, reported 40 ms CPU and 500 network bytes"), printed);
        assertTrue(printed.contains("dev-1 linked"), printed);

        Envelope power = broker.framesFrom("dev-0", BodyCase.POWER_REPORT).get(0);
        assertEquals(PowerState.CONNECTED_STANDBY, power.getPowerReport().getPowerState());
        assertEquals(PowerSource.BATTERY, power.getPowerReport().getPowerSource());
        assertTrue(power.getPowerReport().getBatterySaver());
        assertTrue(broker.framesFrom("dev-0", BodyCase.APP_STATE_REPORT).stream()
                .anyMatch(f -> f.getAppStateReport().getState() == AppExecutionState.SUSPENDED));
        assertEquals(LockScreenConsent.CONSENT_ALLOW,
                broker.framesFrom("dev-0", BodyCase.LOCK_SCREEN_CONSENT).get(0).getLockScreenConsent().getConsent());
        assertEquals(30, broker.framesFrom("dev-0", BodyCase.TRIGGER_REGISTRATION).get(0).getTriggerRegistration().getFreshnessMinutes());
        assertEquals(TriggerKind.TIME_TRIGGER,
                broker.framesFrom("dev-0", BodyCase.BACKGROUND_TASK_REPORT).get(0).getBackgroundTaskReport().getTrigger());
        List<Envelope> channels = broker.framesFrom("dev-0", BodyCase.CONTROL_CHANNEL_REQUEST);
        assertEquals(List.of(ControlChannelOperation.CREATE, ControlChannelOperation.CLOSE),
                channels.stream().map(f -> f.getControlChannelRequest().getOperation()).toList());
        assertEquals(20, channels.get(0).getControlChannelRequest().getServerKeepAliveMinutes());
        assertEquals("hello app server",
                broker.framesFrom("dev-0", BodyCase.CONTROL_UPSTREAM).get(0).getControlUpstream().getPayload().toStringUtf8());
        assertTrue(printed.contains("dev-1 offline"), printed);
        assertTrue(printed.contains("final devices=2") && printed.contains("reconnects=1"), "dev-1 came back: " + printed);
    }

    @Test
    void aFailedStepMakesTheExitStatusThreeAndTheScriptGoesOnToItsEnd() throws Exception {
        long start = System.nanoTime();
        int status = run(false, "--devices", "1", "--duration-seconds", "0", "--no-progress", "--stop-after-script",
                "--do", "trigger dev-0 1 push-notification", "--do", "app-state dev-0 1 foreground");

        assertTrue(System.nanoTime() - start < java.util.concurrent.TimeUnit.SECONDS.toNanos(20),
                "--stop-after-script ends the run without a duration");
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(SimulatorMain.EXIT_SCRIPT_FAILED, status, printed);
        assertTrue(printed.contains("PUSH_NOTIFICATION_TRIGGER refused: not on the lock screen"), printed);
        assertTrue(printed.contains("script: 2 step(s) done, 1 failure(s)"), printed);
        assertFalse(printed.contains("attaches/s"), "--no-progress: " + printed);
    }

    @Test
    void theProgressLineCountsAttachesAndForegroundReportsAndIsRewrittenOnATerminal() throws Exception {
        int status = run(true, "--devices", "3", "--duration-seconds", "2");

        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(SimulatorMain.EXIT_OK, status, printed + err);
        assertTrue(printed.contains("\rleft="), "rewritten in place: " + printed);
        assertTrue(printed.contains("connected=3/3") && printed.contains("attaches/s="), printed);
        assertTrue(printed.contains("final devices=3") && printed.contains("fg-reports=3"),
                "with the model off each device reports its app in the foreground, counted: " + printed);
        assertEquals(3, broker.framesFrom("dev-0", BodyCase.APP_STATE_REPORT).size()
                + broker.framesFrom("dev-1", BodyCase.APP_STATE_REPORT).size()
                + broker.framesFrom("dev-2", BodyCase.APP_STATE_REPORT).size());
    }

    @Test
    void withoutForegroundAppsADeviceSendsNoDeviceModelFrameByItself() throws Exception {
        int status = run(false, "--devices", "1", "--duration-seconds", "2", "--no-foreground-apps");

        assertEquals(SimulatorMain.EXIT_OK, status);
        assertTrue(broker.framesFrom("dev-0", BodyCase.APP_STATE_REPORT).isEmpty());
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("fg-reports"));
    }

    @Test
    void badArgumentsExitTwoAndSayWhatToChange() throws Exception {
        int status = SimulatorMain.execute(List.of("--devices", "3"), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);

        assertEquals(SimulatorMain.EXIT_USAGE, status);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("fleet secret is required") && message.contains("Try `wakeline-simulator --help`"), message);
    }
}
