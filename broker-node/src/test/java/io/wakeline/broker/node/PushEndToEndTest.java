package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.PowerReport;
import io.wakeline.protocol.v1.PowerSource;
import io.wakeline.protocol.v1.PowerState;
import io.wakeline.protocol.v1.WebPushNotification;
import io.wakeline.simulator.ChannelRecord;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.NotificationListener;
import io.wakeline.simulator.SimulatorConfig;
import io.wakeline.simulator.WebPushSubscriptionRecord;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Toast, tile, badge, raw and Web Push through a real node (HTTPS in, device link out) to simulated devices: the
 * offline cache on reconnect, TTL, the 4.17 power matrix driven by the device's power reports, channel close.
 * One device per test, so tests do not see each other's traffic.
 */
class PushEndToEndTest {
    private static final int DEVICES = 6;

    @TempDir
    static Path dataDir;

    private static BrokerNode node;
    private static DeviceSimulator simulator;
    private static AppServerClient appServer;
    private static String token;
    private static final Map<String, List<Notification>> received = new ConcurrentHashMap<>();
    private static final AtomicInteger MARKERS = new AtomicInteger();
    private static final Map<String, List<WebPushNotification>> webPushes = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        int https = TestNodeConfig.freePort();
        node = BrokerNode.start(TestNodeConfig.node(dataDir, https, TestNodeConfig.freePort(), 0,
                "wakeline.device.push.batch-interval = 1s"));
        simulator = DeviceSimulator.start(SimulatorConfig.builder()
                .host("127.0.0.1").port(node.deviceGatewayPort())
                .deviceCount(DEVICES).deviceIdPrefix("push-")
                .fleetSecret(FLEET_SECRET)
                .appIds(List.of(APP_A))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .listener(new NotificationListener() {
                    @Override
                    public void onNotification(String deviceId, Notification notification) {
                        received.computeIfAbsent(deviceId, k -> new CopyOnWriteArrayList<>()).add(notification);
                    }

                    @Override
                    public void onWebPush(String deviceId, WebPushNotification message) {
                        webPushes.computeIfAbsent(deviceId, k -> new CopyOnWriteArrayList<>()).add(message);
                    }
                })
                .build());
        assertTrue(simulator.awaitChannels(Duration.ofSeconds(30)), () -> simulator.stats().summaryLine());
        appServer = new AppServerClient(node.appGatewayUrl(), node.certificatePem());
        token = appServer.token(APP_A, SECRET_A);
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

    private static String channelOf(String deviceId) {
        return simulator.channels().stream().filter(c -> c.deviceId().equals(deviceId)).map(ChannelRecord::channelUri)
                .findFirst().orElseThrow();
    }

    private static HttpResponse<String> send(String deviceId, NotificationType type, String body, String... headers)
            throws Exception {
        String wnsType = "wns/" + type.name().toLowerCase();
        String contentType = type == NotificationType.RAW ? "application/octet-stream" : "text/xml";
        return appServer.send(channelOf(deviceId), token, wnsType, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static List<String> bodies(String deviceId) {
        return received.getOrDefault(deviceId, List.of()).stream().map(n -> n.getPayload().toStringUtf8()).toList();
    }

    /**
     * Waits for {@code expected}, then for a marker sent after it: a high-priority toast, which goes out at once in
     * every power state these tests leave a connected device in. Whatever else the device was sent, a late duplicate
     * included, reached it before the marker, so what came before the marker must be exactly {@code expected}. The
     * marker is then forgotten.
     */
    private static void awaitBodies(String deviceId, List<String> expected) throws Exception {
        awaitUntil(Duration.ofSeconds(10), () -> bodies(deviceId).size() >= expected.size());
        String marker = "marker-" + MARKERS.incrementAndGet();
        assertEquals("received", send(deviceId, NotificationType.TOAST, marker, "X-WNS-PRIORITY", "1")
                .headers().firstValue("X-WNS-Status").orElseThrow());
        awaitUntil(Duration.ofSeconds(10), () -> bodies(deviceId).contains(marker));
        List<String> upToMarker = new ArrayList<>(expected);
        upToMarker.add(marker);
        assertEquals(upToMarker, bodies(deviceId));
        received.get(deviceId).removeIf(n -> n.getPayload().toStringUtf8().equals(marker));
    }

    /** Disconnects and waits until the broker's entity has seen it (a raw send reports "disconnected"). */
    private static void takeOffline(String deviceId) throws Exception {
        simulator.disconnect(deviceId);
        awaitUntil(Duration.ofSeconds(10), () -> {
            try {
                return "disconnected".equals(send(deviceId, NotificationType.RAW, "probe", "X-WNS-RequestForStatus", "true")
                        .headers().firstValue("X-WNS-DeviceConnectionStatus").orElse(""));
            } catch (Exception e) {
                return false;
            }
        });
    }

    /**
     * Reports the device's power and returns once its entity has applied it: a request of the device's sent after the
     * report (a Web Push subscription) travels behind it over the link and through the entity, so its answer comes
     * after the report was handled.
     */
    private static void power(String deviceId, PowerState state, PowerSource source, boolean saver) throws Exception {
        simulator.reportPower(deviceId, PowerReport.newBuilder().setPowerState(state).setPowerSource(source).setBatterySaver(saver).build());
        simulator.subscribeWebPush(deviceId, APP_A, new byte[0]);
    }

    @Test
    void everyTypeArrivesWithItsTypeAndExactBytes() throws Exception {
        String device = "push-0";
        for (NotificationType type : List.of(NotificationType.TOAST, NotificationType.TILE, NotificationType.BADGE,
                NotificationType.RAW)) {
            HttpResponse<String> response = send(device, type, "<" + type + " attr=\"&amp;\"/>");
            assertEquals(200, response.statusCode());
            assertEquals("received", response.headers().firstValue("X-WNS-Status").orElseThrow());
        }
        awaitBodies(device, List.of("<TOAST attr=\"&amp;\"/>", "<TILE attr=\"&amp;\"/>", "<BADGE attr=\"&amp;\"/>",
                "<RAW attr=\"&amp;\"/>"));
        assertEquals(List.of(NotificationType.TOAST, NotificationType.TILE, NotificationType.BADGE, NotificationType.RAW),
                received.get(device).stream().map(Notification::getType).toList());
    }

    @Test
    void anOfflineDeviceGetsTheWindows8CacheWhenItReturns() throws Exception {
        String device = "push-1";
        takeOffline(device);
        assertEquals("received", send(device, NotificationType.TILE, "tile-1").headers().firstValue("X-WNS-Status").orElseThrow());
        send(device, NotificationType.TILE, "tile-2");
        send(device, NotificationType.BADGE, "badge-1");
        send(device, NotificationType.BADGE, "badge-2");
        HttpResponse<String> toast = send(device, NotificationType.TOAST, "toast", "X-WNS-RequestForStatus", "true");
        assertEquals("dropped", toast.headers().firstValue("X-WNS-Status").orElseThrow());
        assertEquals("disconnected", toast.headers().firstValue("X-WNS-DeviceConnectionStatus").orElseThrow());
        send(device, NotificationType.RAW, "raw-no-cache");
        send(device, NotificationType.RAW, "raw-cached", "X-WNS-Cache-Policy", "cache");
        send(device, NotificationType.TILE, "tile-expiring", "X-WNS-TTL", "1", "X-WNS-Cache-Policy", "no-cache");
        received.remove(device);
        simulator.connect(device);
        awaitBodies(device, List.of("tile-2", "badge-2", "raw-cached"));
    }

    @Test
    void aCachedTileWhoseTtlEndsBeforeTheDeviceReturnsIsNotDelivered() throws Exception {
        String device = "push-2";
        takeOffline(device);
        send(device, NotificationType.TILE, "short-lived", "X-WNS-TTL", "1");
        send(device, NotificationType.BADGE, "long-lived", "X-WNS-TTL", "600");
        Thread.sleep(1200);
        received.remove(device);
        simulator.connect(device);
        awaitBodies(device, List.of("long-lived"));
    }

    @Test
    void screenOffOnBatteryDeliversHighNowBatchesMediumAndHoldsLowUntilPluggedIn() throws Exception {
        String device = "push-3";
        power(device, PowerState.CONNECTED_STANDBY, PowerSource.BATTERY, false);
        // (raw in connected standby follows the Windows 8 background rules first: DeviceModelEndToEndTest)
        send(device, NotificationType.TOAST, "low", "X-WNS-PRIORITY", "3");      // priority 3: held
        send(device, NotificationType.TILE, "medium");                           // priority 2: batched (1 s)
        send(device, NotificationType.TOAST, "high");                            // priority 1: now
        send(device, NotificationType.TOAST, "very-low", "X-WNS-PRIORITY", "4"); // held
        awaitBodies(device, List.of("high")); // medium not yet: it waits for the batch
        awaitBodies(device, List.of("high", "medium")); // the batch went out after the batch interval; low still held
        power(device, PowerState.CONNECTED_STANDBY, PowerSource.MAINS, false);
        awaitBodies(device, List.of("high", "medium", "low", "very-low"));
    }

    @Test
    void batterySaverHoldsEvenHighPriorityUntilItIsOff() throws Exception {
        String device = "push-4";
        power(device, PowerState.ACTIVE, PowerSource.BATTERY, true);
        send(device, NotificationType.TOAST, "held toast");
        // battery saver holds everything, so no marker can pass; the broker itself says it holds the Web Push message
        // sent after the toast (the same store and the same power rule)
        WebPushSubscriptionRecord subscription = simulator.subscribeWebPush(device, APP_A, new byte[0]);
        HttpResponse<String> held = appServer.http().send(HttpRequest.newBuilder(URI.create(subscription.endpoint()))
                .header("TTL", "600").header("Urgency", "high").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, held.statusCode(), held.body());
        URI message = URI.create(held.headers().firstValue("Location").orElseThrow());
        assertEquals(200, appServer.http().send(HttpRequest.newBuilder(message).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "held, not delivered");
        assertEquals(List.of(), bodies(device));
        assertEquals(List.of(), webPushes.getOrDefault(device, List.of()));
        power(device, PowerState.ACTIVE, PowerSource.BATTERY, false);
        awaitBodies(device, List.of("held toast"));
        awaitUntil(Duration.ofSeconds(10), () -> webPushes.getOrDefault(device, List.of()).size() == 1);
        assertEquals(404, appServer.http().send(HttpRequest.newBuilder(message).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "delivered once the saver is off");
    }

    @Test
    void aWebPushMessageIsStoredWhileOfflineAndAClosedChannelIs410() throws Exception {
        String device = "push-5";
        WebPushSubscriptionRecord subscription = simulator.subscribeWebPush(device, APP_A, new byte[0]);
        takeOffline(device);
        byte[] payload = new byte[4096];
        new java.util.Random(5).nextBytes(payload);
        HttpResponse<String> stored = appServer.http().send(HttpRequest.newBuilder(URI.create(subscription.endpoint()))
                .header("TTL", "600").header("Content-Encoding", "aes128gcm")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, stored.statusCode(), stored.body());
        URI message = URI.create(stored.headers().firstValue("Location").orElseThrow());
        assertEquals(200, appServer.http().send(HttpRequest.newBuilder(message).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "pending while the device is offline");
        simulator.connect(device);
        awaitUntil(Duration.ofSeconds(10), () -> !webPushes.getOrDefault(device, List.of()).isEmpty());
        WebPushNotification got = webPushes.get(device).get(0);
        assertArrayEquals(payload, got.getPayload().toByteArray());
        assertEquals("aes128gcm", got.getContentEncoding());
        assertEquals(404, appServer.http().send(HttpRequest.newBuilder(message).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "delivered: no longer pending");

        awaitUntil(Duration.ofSeconds(10), () -> simulator.stats().summaryLine().contains("linked=" + DEVICES));
        ChannelRecord channel = simulator.channels().stream().filter(c -> c.deviceId().equals(device)).findFirst().orElseThrow();
        assertEquals(List.of(channel.channelId()), simulator.closeChannel(device, APP_A, channel.channelId()));
        assertEquals(410, send(device, NotificationType.TOAST, "too late").statusCode());
    }
}
