package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.TestWaits.pollUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.ManualClock;
import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.AppStateReport;
import io.wakeline.protocol.v1.BackgroundAccessStatus;
import io.wakeline.protocol.v1.BackgroundTaskReport;
import io.wakeline.protocol.v1.ControlChannelOperation;
import io.wakeline.protocol.v1.ControlChannelRequest;
import io.wakeline.protocol.v1.ControlChannelResourceType;
import io.wakeline.protocol.v1.ControlChannelTriggerStatus;
import io.wakeline.protocol.v1.DeviceCapabilities;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.LockScreenConsent;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.LockScreenRequest;
import io.wakeline.protocol.v1.ManifestBackgroundTask;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.RawDelivery;
import io.wakeline.protocol.v1.TriggerKind;
import io.wakeline.protocol.v1.TriggerRegistration;
import io.wakeline.simulator.ChannelRecord;
import io.wakeline.simulator.DeviceModelMode;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Windows device model end to end: a node, simulated devices driven frame by frame over real TCP, an app
 * server over real HTTPS. The node's device side reads a manual clock, so sandbox periods pass when the test says.
 */
class DeviceModelEndToEndTest {
    private static final int DEVICES = 4;
    private static final long BUDGET_PERIOD_MILLIS = 4_000;

    @TempDir
    static Path dataDir;

    /** The time the node's device entities and links read; the app-server gateway keeps the wall clock. */
    private static final ManualClock clock = ManualClock.startingNow();
    private static BrokerNode node;
    private static DeviceSimulator simulator;
    private static AppServerClient appServer;
    private static final Map<String, List<Notification>> notifications = new ConcurrentHashMap<>();
    private static final AtomicInteger requestIds = new AtomicInteger(1);

    @BeforeAll
    static void start() throws Exception {
        node = BrokerNode.start(TestNodeConfig.node(dataDir, TestNodeConfig.freePort(), TestNodeConfig.freePort(), 0, """
                wakeline.device.sandbox.lock-screen-app.period = 4s
                wakeline.device.sandbox.lock-screen-app.cpu = 1s
                """), clock);
        simulator = DeviceSimulator.start(SimulatorConfig.builder()
                .host("127.0.0.1").port(node.deviceGatewayPort())
                .deviceCount(DEVICES).deviceIdPrefix("model-")
                .fleetSecret(FLEET_SECRET)
                .appIds(List.of(APP_A))
                .capabilities(DeviceCapabilities.newBuilder().setChipsetConnectedStandby(true).setNetworkConnectedStandby(true).build())
                .deviceModel(DeviceModelMode.OFF)
                .listener((deviceId, n) -> notifications.computeIfAbsent(deviceId, k -> new CopyOnWriteArrayList<>()).add(n))
                .build());
        assertTrue(simulator.awaitChannels(Duration.ofSeconds(30)), () -> simulator.stats().summaryLine());
        appServer = new AppServerClient(node.appGatewayUrl(), node.certificatePem());
    }

    @AfterAll
    static void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theEighthLockScreenRequestIsDenied() throws Exception {
        String device = "model-0";
        for (int i = 1; i <= 7; i++) {
            assertEquals(BackgroundAccessStatus.ALLOWED_MAY_USE_ACTIVE_REAL_TIME_CONNECTIVITY,
                    joinLockScreen(device, "ms-app://S-1-15-2-7" + i, ManifestBackgroundTask.MANIFEST_PUSH_NOTIFICATION));
        }
        Envelope eighth = request(device, Envelope.newBuilder().setLockScreenRequest(LockScreenRequest.newBuilder()
                .setRequestId(requestIds.incrementAndGet()).setAppId("ms-app://S-1-15-2-78")
                .addDeclaredTasks(ManifestBackgroundTask.MANIFEST_PUSH_NOTIFICATION)), Envelope.BodyCase.LOCK_SCREEN_STATUS);
        assertEquals(BackgroundAccessStatus.DENIED, eighth.getLockScreenStatus().getStatus());
    }

    @Test
    void theFourthAppsHardwareRequestGetsOnlySoftwareSlots() throws Exception {
        String device = "model-1";
        for (int i = 1; i <= 4; i++) {
            joinLockScreen(device, "ms-app://S-1-15-2-8" + i, ManifestBackgroundTask.MANIFEST_CONTROL_CHANNEL,
                    ManifestBackgroundTask.MANIFEST_PUSH_NOTIFICATION);
        }
        for (int i = 1; i <= 3; i++) {
            assertEquals(ControlChannelTriggerStatus.HARDWARE_SLOT_ALLOCATED,
                    createChannel(device, "ms-app://S-1-15-2-8" + i, "voip", ControlChannelResourceType.REQUEST_HARDWARE_SLOT));
        }
        assertNotEquals(ControlChannelTriggerStatus.HARDWARE_SLOT_ALLOCATED,
                createChannel(device, "ms-app://S-1-15-2-84", "voip", ControlChannelResourceType.REQUEST_HARDWARE_SLOT));
        assertEquals(ControlChannelTriggerStatus.SOFTWARE_SLOT_ALLOCATED,
                createChannel(device, "ms-app://S-1-15-2-84", "chat", ControlChannelResourceType.REQUEST_SOFTWARE_SLOT));
    }

    @Test
    void aRawPushToASuspendedAppNotOnTheLockScreenIsDropped() throws Exception {
        String device = "model-2";
        simulator.send(device, Envelope.newBuilder().setAppStateReport(AppStateReport.newBuilder()
                .setAppId(APP_A).setState(AppExecutionState.SUSPENDED)).build());
        HttpResponse<String> response = pushUntil(device, "dropped");
        assertEquals(200, response.statusCode());
        assertEquals("dropped", response.headers().firstValue("X-WNS-Status").orElse(""));
        assertEquals("connected", response.headers().firstValue("X-WNS-DeviceConnectionStatus").orElse(""));
    }

    @Test
    void aBudgetExhaustedAppStopsBeingWokenAndResumesAfterTheRefill() throws Exception {
        String device = "model-3";
        joinLockScreen(device, APP_A, ManifestBackgroundTask.MANIFEST_PUSH_NOTIFICATION);
        Envelope registered = request(device, Envelope.newBuilder().setTriggerRegistration(TriggerRegistration.newBuilder()
                .setRequestId(requestIds.incrementAndGet()).setAppId(APP_A).setTrigger(TriggerKind.PUSH_NOTIFICATION_TRIGGER)),
                Envelope.BodyCase.TRIGGER_REGISTRATION_STATUS);
        assertTrue(registered.getTriggerRegistrationStatus().getAccepted(), registered::toString);
        simulator.send(device, Envelope.newBuilder().setAppStateReport(AppStateReport.newBuilder()
                .setAppId(APP_A).setState(AppExecutionState.SUSPENDED)).build());
        // budget periods are aligned to the clock: start right after a boundary, so spending and the refused
        // wake happen within one period and the refill comes only at the next
        clock.set(clock.millis() - clock.millis() % BUDGET_PERIOD_MILLIS + BUDGET_PERIOD_MILLIS + 50);

        Notification woken = pushAndReceive(device, "wake-1");
        assertEquals(RawDelivery.BACKGROUND_TASK, woken.getRawDelivery());
        // the task burns the whole period's quota (1 CPU-second per 4 s)
        simulator.send(device, Envelope.newBuilder().setBackgroundTaskReport(BackgroundTaskReport.newBuilder()
                .setAppId(APP_A).setTrigger(TriggerKind.PUSH_NOTIFICATION_TRIGGER).setCpuMillis(2_000)).build());

        HttpResponse<String> refused = pushUntil(device, "dropped");
        assertEquals("dropped", refused.headers().firstValue("X-WNS-Status").orElse(""), "not woken without budget");

        clock.advance(Duration.ofMillis(BUDGET_PERIOD_MILLIS)); // the next period: the quota is back
        HttpResponse<String> answer = appServer.sendRaw(channelOf(device), token(), "after-refill".getBytes(StandardCharsets.UTF_8));
        assertEquals("received", answer.headers().firstValue("X-WNS-Status").orElse(""), "woken again after the refill");
        awaitUntil(Duration.ofSeconds(5), () -> notifications.get(device).stream()
                .anyMatch(n -> n.getPayload().toStringUtf8().equals("after-refill")));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static BackgroundAccessStatus joinLockScreen(String device, String app, ManifestBackgroundTask... tasks) throws Exception {
        LockScreenRequest.Builder ask = LockScreenRequest.newBuilder().setRequestId(requestIds.incrementAndGet()).setAppId(app);
        for (ManifestBackgroundTask task : tasks) {
            ask.addDeclaredTasks(task);
        }
        Envelope status = request(device, Envelope.newBuilder().setLockScreenRequest(ask), Envelope.BodyCase.LOCK_SCREEN_STATUS);
        assertTrue(status.getLockScreenStatus().getShowConsentPrompt(), status::toString);
        Envelope granted = request(device, Envelope.newBuilder().setLockScreenConsent(LockScreenConsentAnswer.newBuilder()
                .setRequestId(requestIds.incrementAndGet()).setAppId(app).setConsent(LockScreenConsent.CONSENT_ALLOW)),
                Envelope.BodyCase.LOCK_SCREEN_STATUS);
        return granted.getLockScreenStatus().getStatus();
    }

    private static ControlChannelTriggerStatus createChannel(String device, String app, String id,
                                                             ControlChannelResourceType type) throws Exception {
        Envelope status = request(device, Envelope.newBuilder().setControlChannelRequest(ControlChannelRequest.newBuilder()
                .setRequestId(requestIds.incrementAndGet()).setAppId(app).setChannelId(id).setServerKeepAliveMinutes(15)
                .setResourceType(type).setOperation(ControlChannelOperation.CREATE)), Envelope.BodyCase.CONTROL_CHANNEL_STATUS);
        assertEquals("", status.getControlChannelStatus().getRejection(), status::toString);
        return status.getControlChannelStatus().getStatus();
    }

    private static Envelope request(String device, Envelope.Builder envelope, Envelope.BodyCase answer) throws Exception {
        return simulator.request(device, envelope.build(), answer).get(10, TimeUnit.SECONDS);
    }

    private static String channelOf(String device) {
        return simulator.channels().stream().filter(c -> c.deviceId().equals(device)).map(ChannelRecord::channelUri)
                .findFirst().orElseThrow();
    }

    private static String token() throws Exception {
        return appServer.token(APP_A, SECRET_A);
    }

    /** Device reports travel asynchronously: push until the broker's answer shows they have been applied. */
    private static HttpResponse<String> pushUntil(String device, String status) throws Exception {
        return pollUntil(Duration.ofSeconds(5),
                () -> appServer.sendRaw(channelOf(device), token(), new byte[] {1}, "X-WNS-RequestForStatus", "true"),
                response -> status.equals(response.headers().firstValue("X-WNS-Status").orElse("")));
    }

    private static Notification pushAndReceive(String device, String body) throws Exception {
        HttpResponse<String> response = appServer.sendRaw(channelOf(device), token(), body.getBytes(StandardCharsets.UTF_8));
        assertEquals("received", response.headers().firstValue("X-WNS-Status").orElse(""), response::toString);
        awaitUntil(Duration.ofSeconds(5), () -> notifications.getOrDefault(device, List.of()).stream()
                .anyMatch(n -> n.getPayload().toStringUtf8().equals(body)));
        return notifications.get(device).stream().filter(n -> n.getPayload().toStringUtf8().equals(body)).findFirst().orElseThrow();
    }
}
