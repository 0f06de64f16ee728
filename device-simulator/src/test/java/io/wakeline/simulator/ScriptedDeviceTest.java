package io.wakeline.simulator;

import static io.wakeline.simulator.DeviceSimulatorTest.FLEET_SECRET;
import static io.wakeline.simulator.DeviceSimulatorTest.MAIL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.protocol.v1.BackgroundAccessStatus;
import io.wakeline.protocol.v1.ChannelRequest;
import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.Envelope.BodyCase;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.LockScreenConsent;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.LockScreenRequest;
import io.wakeline.protocol.v1.LockScreenStatus;
import io.wakeline.protocol.v1.ManifestBackgroundTask;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.PowerState;
import io.wakeline.protocol.v1.RawDelivery;
import io.wakeline.protocol.v1.SystemTrigger;
import io.wakeline.protocol.v1.SystemTriggerType;
import io.wakeline.protocol.v1.TriggerKind;
import io.wakeline.protocol.v1.TriggerRegistration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests driving exact device-model scenarios through {@link DeviceSimulator#send} and {@link DeviceSimulator#request}. */
@Timeout(30)
class ScriptedDeviceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Envelope POWER_SLEEP = Envelope.newBuilder()
            .setPowerReport(PowerReport.newBuilder().setPowerState(PowerState.SLEEP)).build();

    private FakeBroker broker;
    private DeviceSimulator simulator;
    private final List<Envelope> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBroker() throws IOException {
        broker = new FakeBroker(FLEET_SECRET, Set.of(MAIL), 1);
    }

    @AfterEach
    void stopAll() throws IOException {
        if (simulator != null) {
            simulator.close();
        }
        broker.close();
    }

    private void start(Duration requestTimeout) {
        simulator = DeviceSimulator.start(SimulatorConfig.builder()
                .port(broker.port())
                .fleetSecret(FLEET_SECRET)
                .appIds(List.of(MAIL))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .requestTimeout(requestTimeout)
                .frameListener((deviceId, envelope) -> seen.add(envelope))
                .build());
        assertTrue(simulator.awaitChannels(WAIT));
    }

    @Test
    void requestCompletesWithTheAnswerCarryingItsRequestId() throws Exception {
        start(WAIT);

        Envelope prompt = simulator.request("dev-0", Envelope.newBuilder().setLockScreenRequest(LockScreenRequest.newBuilder()
                .setRequestId(41).setAppId(MAIL).addDeclaredTasks(ManifestBackgroundTask.MANIFEST_PUSH_NOTIFICATION)).build(),
                BodyCase.LOCK_SCREEN_STATUS).get(5, TimeUnit.SECONDS);
        assertEquals(LockScreenStatus.newBuilder().setRequestId(41).setAppId(MAIL).setShowConsentPrompt(true).build(),
                prompt.getLockScreenStatus());

        Envelope granted = simulator.request("dev-0", Envelope.newBuilder().setLockScreenConsent(LockScreenConsentAnswer.newBuilder()
                .setRequestId(41).setAppId(MAIL).setConsent(LockScreenConsent.CONSENT_ALLOW)).build(),
                BodyCase.LOCK_SCREEN_STATUS).get(5, TimeUnit.SECONDS);
        assertEquals(BackgroundAccessStatus.ALLOWED_WITH_ALWAYS_ON_REAL_TIME_CONNECTIVITY, granted.getLockScreenStatus().getStatus());

        DeviceModelStats stats = simulator.stats().deviceModel();
        assertEquals(1, stats.lockScreenRequests(), "scripted frames are counted too");
        assertEquals(1, stats.consentsAllowed());
        assertEquals(1, stats.lockScreenGrants());
        assertTrue(simulator.stats().summaryLine().contains(" | model power=0"), simulator.stats().summaryLine());
    }

    @Test
    void anAnswerWithAnotherRequestIdLeavesTheRequestWaitingUntilItTimesOut() throws Exception {
        start(Duration.ofSeconds(1));
        simulator.request("dev-0", Envelope.newBuilder().setLockScreenRequest(LockScreenRequest.newBuilder()
                .setRequestId(5).setAppId(MAIL)).build(), BodyCase.LOCK_SCREEN_STATUS).get(5, TimeUnit.SECONDS);
        // id 6 waits for a status the broker will never send with that id...
        CompletableFuture<Envelope> waiting = simulator.request("dev-0", Envelope.newBuilder().setTriggerRegistration(
                TriggerRegistration.newBuilder().setRequestId(6).setAppId(MAIL).setTrigger(TriggerKind.PUSH_NOTIFICATION_TRIGGER))
                .build(), BodyCase.LOCK_SCREEN_STATUS);
        // ...while id 5's second status arrives
        Envelope status = simulator.request("dev-0", Envelope.newBuilder().setLockScreenRequest(LockScreenRequest.newBuilder()
                .setRequestId(5).setAppId(MAIL)).build(), BodyCase.LOCK_SCREEN_STATUS).get(5, TimeUnit.SECONDS);

        assertEquals(5, status.getLockScreenStatus().getRequestId());
        ExecutionException failed = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, failed.getCause());
        assertTrue(broker.isLinked("dev-0"), "a timeout leaves the link alone");
    }

    @Test
    void requestForAMessageWithoutRequestIdTakesTheNextFrameOfTheAnswerCase() throws Exception {
        start(WAIT);
        CompletableFuture<Envelope> answer = simulator.request("dev-0", POWER_SLEEP, BodyCase.SYSTEM_TRIGGER);
        Eventually.await(WAIT, "power report at the broker",
                () -> broker.framesFrom("dev-0", BodyCase.POWER_REPORT).size() == 1);

        SystemTrigger trigger = SystemTrigger.newBuilder().setAppId(MAIL).setTrigger(SystemTriggerType.LOCK_SCREEN_APPLICATION_REMOVED).build();
        broker.sendSystemTrigger("dev-0", trigger);

        assertEquals(trigger, answer.get(5, TimeUnit.SECONDS).getSystemTrigger());
        assertEquals(1, simulator.stats().deviceModel().powerReports());
        assertEquals(1, simulator.stats().deviceModel().systemTriggers());
    }

    @Test
    void anErrorCarryingTheRequestIdAnswersTheRequest() throws Exception {
        start(WAIT);

        Envelope answer = simulator.request("dev-0", Envelope.newBuilder().setChannelRequest(ChannelRequest.newBuilder()
                .setRequestId(77).setAppId("ms-app://S-1-15-2-404")).build(), BodyCase.CHANNEL_ISSUED).get(5, TimeUnit.SECONDS);

        assertEquals(BodyCase.ERROR, answer.getBodyCase());
        assertEquals(ErrorCode.UNKNOWN_APP, answer.getError().getCode());
        assertEquals(77, answer.getError().getRequestId());
    }

    @Test
    void requestFailsWithLinkLostWhenTheLinkEndsFirst() throws Exception {
        start(WAIT);
        CompletableFuture<Envelope> answer = simulator.request("dev-0", POWER_SLEEP, BodyCase.SYSTEM_TRIGGER);
        Eventually.await(WAIT, "power report at the broker",
                () -> broker.framesFrom("dev-0", BodyCase.POWER_REPORT).size() == 1);

        broker.drop("dev-0");

        ExecutionException failed = assertThrows(ExecutionException.class, () -> answer.get(5, TimeUnit.SECONDS));
        assertInstanceOf(LinkLostException.class, failed.getCause());
    }

    @Test
    void aDeviceThatIsNotLinkedCannotSend() throws Exception {
        start(WAIT);
        simulator.disconnect("dev-0");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> simulator.send("dev-0", POWER_SLEEP));
        assertTrue(refused.getMessage().contains("not linked"), refused.getMessage());
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> simulator.request("dev-0", POWER_SLEEP, BodyCase.SYSTEM_TRIGGER).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failed.getCause());
        assertThrows(IllegalArgumentException.class, () -> simulator.send("phone-1", POWER_SLEEP));
        assertEquals(0, simulator.stats().deviceModel().powerReports());
    }

    @Test
    void withTheModelOffADeviceOnlyReportsItsAppsInTheForegroundAndAcksBackgroundTaskRaws() throws Exception {
        start(WAIT);
        long deliveryId = broker.sendRaw("dev-0", MAIL, RawDelivery.BACKGROUND_TASK, new byte[] {1});
        broker.sendSystemTrigger("dev-0", SystemTrigger.newBuilder().setAppId(MAIL)
                .setTrigger(SystemTriggerType.CONTROL_CHANNEL_RESET).build());

        Eventually.await(WAIT, "acked", () -> broker.acked("dev-0").contains(deliveryId));
        Eventually.await(WAIT, "system trigger counted", () -> simulator.stats().deviceModel().systemTriggers() == 1);
        simulator.send("dev-0", POWER_SLEEP);
        Eventually.await(WAIT, "scripted report at the broker",
                () -> broker.framesFrom("dev-0", BodyCase.POWER_REPORT).size() == 1);

        assertEquals(List.of(BodyCase.APP_STATE_REPORT, BodyCase.CHANNEL_REQUEST, BodyCase.ACK, BodyCase.POWER_REPORT),
                broker.framesFrom("dev-0").stream().map(Envelope::getBodyCase).filter(body -> body != BodyCase.PING).toList());
        assertEquals(List.of(), broker.errorsFromDevices(), "model frames are not unexpected any more");
        assertEquals(AppExecutionState.FOREGROUND,
                broker.framesFrom("dev-0", BodyCase.APP_STATE_REPORT).get(0).getAppStateReport().getState());
        assertEquals(1, simulator.stats().deviceModel().backgroundTaskDeliveries());
        assertEquals(0, simulator.stats().deviceModel().backgroundTasksRun());
    }

    @Test
    void frameListenerSeesEveryInboundFrameButPong() throws Exception {
        start(WAIT);
        // heartbeat 1 s: the device pings and the broker's Pong comes back before what the test sends next
        Eventually.await(WAIT, "a ping answered", () -> broker.pingsFrom("dev-0") >= 1);
        broker.sendPing("dev-0", 9);
        broker.sendSystemTrigger("dev-0", SystemTrigger.newBuilder().setAppId(MAIL)
                .setTrigger(SystemTriggerType.LOCK_SCREEN_APPLICATION_ADDED).build());

        Eventually.await(WAIT, "system trigger seen",
                () -> seen.stream().anyMatch(frame -> frame.getBodyCase() == BodyCase.SYSTEM_TRIGGER));
        List<BodyCase> bodies = seen.stream().map(Envelope::getBodyCase).toList();
        assertEquals(List.of(BodyCase.CHALLENGE, BodyCase.WELCOME, BodyCase.CHANNEL_ISSUED, BodyCase.PING,
                BodyCase.SYSTEM_TRIGGER), bodies);
        assertFalse(bodies.contains(BodyCase.PONG));
    }
}
