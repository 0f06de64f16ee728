package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.TestWaits.pollUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.APP_B;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.protocol.v1.AppExecutionState;
import io.wakeline.protocol.v1.AppStateReport;
import io.wakeline.protocol.v1.ControlChannelOperation;
import io.wakeline.protocol.v1.ControlChannelRequest;
import io.wakeline.protocol.v1.ControlChannelResourceType;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.LockScreenConsent;
import io.wakeline.protocol.v1.LockScreenConsentAnswer;
import io.wakeline.protocol.v1.LockScreenRequest;
import io.wakeline.protocol.v1.ManifestBackgroundTask;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.PowerState;
import io.wakeline.simulator.DeviceModelMode;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.NotificationListener;
import io.wakeline.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control-channel HTTP API against a node and a simulated device: statuses, idempotency, backlog, fate. */
class ControlChannelEndToEndTest {
    @TempDir
    static Path dataDir;

    private static BrokerNode node;
    private static DeviceSimulator simulator;
    private static AppServerClient appServer;
    private static final List<String> processed = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        node = BrokerNode.start(TestNodeConfig.node(dataDir, TestNodeConfig.freePort(), TestNodeConfig.freePort(), 0,
                "wakeline.control-channels.backlog-per-channel = 3"));
        simulator = DeviceSimulator.start(SimulatorConfig.builder()
                .host("127.0.0.1").port(node.deviceGatewayPort()).deviceCount(3).deviceIdPrefix("cc-")
                .fleetSecret(FLEET_SECRET).appIds(List.of(APP_A)).deviceModel(DeviceModelMode.OFF)
                .listener(new NotificationListener() {
                    @Override
                    public void onNotification(String deviceId, Notification notification) {
                    }

                    @Override
                    public void onControlMessage(String deviceId, Notification notification) {
                        processed.add(deviceId + ":" + notification.getPayload().toStringUtf8());
                    }
                })
                .build());
        assertTrue(simulator.awaitChannels(Duration.ofSeconds(30)));
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
    void aSendIsAcceptedOnceDeliveredAndItsFateReadable() throws Exception {
        String uri = createChannel("cc-0");
        String token = appServer.token(APP_A, SECRET_A);
        HttpResponse<String> first = post(uri, token, "hello", "X-Wakeline-Message-Id", "order-1", "X-Wakeline-TTL", "600");
        assertEquals(201, first.statusCode(), first::body);
        String id = first.headers().firstValue("X-Wakeline-Message-Id").orElseThrow();
        assertTrue(first.headers().firstValue("Location").orElseThrow().endsWith("/messages/" + id));

        HttpResponse<String> retry = post(uri, token, "hello", "X-Wakeline-Message-Id", "order-1");
        assertEquals(200, retry.statusCode(), "an idempotent retry");
        assertEquals(id, retry.headers().firstValue("X-Wakeline-Message-Id").orElseThrow());

        awaitUntil(Duration.ofSeconds(5), () -> processed.contains("cc-0:hello"));
        String fate = pollUntil(Duration.ofSeconds(5), () -> get(uri + "/messages/" + id, token).body(),
                body -> body.contains("\"state\":\"ACKED\""));
        assertTrue(fate.contains("\"state\":\"ACKED\"") && fate.contains("\"clientMessageId\":\"order-1\""), fate);
        assertEquals(1, processed.stream().filter("cc-0:hello"::equals).count(), "processed once");
        assertEquals(404, get(uri + "/messages/00000000-0000-0000-0000-000000000000", token).statusCode());
    }

    @Test
    void aFullBacklogIsRefusedWith429AndRetryAfter() throws Exception {
        String uri = createChannel("cc-1");
        simulator.reportPower("cc-1", PowerReport.newBuilder().setPowerState(PowerState.SLEEP).build());
        String token = appServer.token(APP_A, SECRET_A);
        appliedReports("cc-1");
        for (int i = 0; i < 3; i++) {
            assertEquals(201, post(uri, token, "held-" + i).statusCode());
        }
        HttpResponse<String> full = post(uri, token, "one-too-many");
        assertEquals(429, full.statusCode(), full::body);
        assertTrue(full.headers().firstValue("Retry-After").isPresent());
        assertEquals("backlog-full", full.headers().firstValue("X-Wakeline-Error").orElse(""));

        simulator.reportPower("cc-1", PowerReport.newBuilder().setPowerState(PowerState.ACTIVE).build());
        awaitUntil(Duration.ofSeconds(5), () -> processed.containsAll(List.of("cc-1:held-0", "cc-1:held-1", "cc-1:held-2")));
        assertEquals(List.of("cc-1:held-0", "cc-1:held-1", "cc-1:held-2"),
                processed.stream().filter(p -> p.startsWith("cc-1:held")).toList(), "in order");
    }

    @Test
    void aChannelTheAppClosedAnswers410AndItsHeldMessagesEndRejected() throws Exception {
        String uri = createChannel("cc-2");
        simulator.reportPower("cc-2", PowerReport.newBuilder().setPowerState(PowerState.SLEEP).build());
        String token = appServer.token(APP_A, SECRET_A);
        appliedReports("cc-2");
        HttpResponse<String> held = post(uri, token, "never-delivered");
        assertEquals(201, held.statusCode(), held::body);
        String id = held.headers().firstValue("X-Wakeline-Message-Id").orElseThrow();

        Envelope closed = simulator.request("cc-2", Envelope.newBuilder().setControlChannelRequest(ControlChannelRequest.newBuilder()
                .setRequestId(4).setAppId(APP_A).setChannelId("chat")
                .setOperation(ControlChannelOperation.CLOSE)).build(), Envelope.BodyCase.CONTROL_CHANNEL_STATUS)
                .get(10, TimeUnit.SECONDS);
        assertTrue(closed.getControlChannelStatus().getClosed(), closed::toString);

        HttpResponse<String> gone = post(uri, token, "after-close");
        assertEquals(410, gone.statusCode(), gone::body);
        assertEquals("channel-closed", gone.headers().firstValue("X-Wakeline-Error").orElse(""));
        String fate = get(uri + "/messages/" + id, token).body();
        assertTrue(fate.contains("\"state\":\"REJECTED\""), fate);
        simulator.reportPower("cc-2", PowerReport.newBuilder().setPowerState(PowerState.ACTIVE).build());
        // a marker on another channel of the device, sent after the power change (the channel's creation goes
        // through the device's entity after the report): anything released by the change arrives before it
        String marker = createChannel("cc-2", "marker");
        assertEquals(201, post(marker, token, "marker").statusCode());
        awaitUntil(Duration.ofSeconds(5), () -> processed.contains("cc-2:marker"));
        assertEquals(List.of("cc-2:marker"), processed.stream().filter(p -> p.startsWith("cc-2:")).toList(),
                "nothing of a closed channel delivered");
    }

    @Test
    void badRequestsGetTheirDocumentedStatuses() throws Exception {
        String uri = createChannel("cc-0", "second");
        String token = appServer.token(APP_A, SECRET_A);
        assertEquals(401, post(uri, "not-a-token", "x").statusCode());
        assertEquals(403, post(uri, appServer.token(APP_B, SECRET_B), "x").statusCode());
        assertEquals(404, post(uri.substring(0, uri.length() - 2) + "xx", token, "x").statusCode());
        assertEquals(400, post(uri, token, "x", "X-Wakeline-TTL", "0").statusCode());
        assertEquals(400, post(uri, token, "x", "X-Wakeline-Message-Id", "has space").statusCode());
        assertEquals(413, post(uri, token, "x".repeat(4097)).statusCode());
        HttpResponse<String> wrongType = appServer.http().send(HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, wrongType.statusCode());
    }

    /**
     * Returns once the device's entity has handled what the device reported before: a request sent after the reports
     * (a Web Push subscription) travels behind them over the link and through the entity.
     */
    private static void appliedReports(String device) throws Exception {
        simulator.subscribeWebPush(device, APP_A, new byte[0]);
    }

    private static String createChannel(String device) throws Exception {
        return createChannel(device, "chat");
    }

    private static String createChannel(String device, String channelId) throws Exception {
        simulator.request(device, Envelope.newBuilder().setLockScreenRequest(LockScreenRequest.newBuilder()
                .setRequestId(1).setAppId(APP_A).addDeclaredTasks(ManifestBackgroundTask.MANIFEST_CONTROL_CHANNEL)).build(),
                Envelope.BodyCase.LOCK_SCREEN_STATUS).get(10, TimeUnit.SECONDS);
        simulator.request(device, Envelope.newBuilder().setLockScreenConsent(LockScreenConsentAnswer.newBuilder()
                .setRequestId(2).setAppId(APP_A).setConsent(LockScreenConsent.CONSENT_ALLOW)).build(),
                Envelope.BodyCase.LOCK_SCREEN_STATUS).get(10, TimeUnit.SECONDS);
        simulator.send(device, Envelope.newBuilder().setAppStateReport(AppStateReport.newBuilder()
                .setAppId(APP_A).setState(AppExecutionState.FOREGROUND)).build());
        Envelope created = simulator.request(device, Envelope.newBuilder().setControlChannelRequest(ControlChannelRequest.newBuilder()
                .setRequestId(3).setAppId(APP_A).setChannelId(channelId).setServerKeepAliveMinutes(15)
                .setResourceType(ControlChannelResourceType.REQUEST_SOFTWARE_SLOT)
                .setOperation(ControlChannelOperation.CREATE)).build(), Envelope.BodyCase.CONTROL_CHANNEL_STATUS)
                .get(10, TimeUnit.SECONDS);
        String uri = created.getControlChannelStatus().getControlChannelUri();
        assertTrue(uri.startsWith(node.appGatewayUrl() + "/cc/"), created::toString);
        return uri;
    }

    private static HttpResponse<String> post(String uri, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return appServer.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String uri, String token) throws Exception {
        return appServer.http().send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
