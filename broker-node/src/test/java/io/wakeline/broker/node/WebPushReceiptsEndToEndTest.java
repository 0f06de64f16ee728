package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wakeline.protocol.v1.WebPushNotification;
import io.wakeline.simulator.ChannelRecord;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.NotificationListener;
import io.wakeline.simulator.SimulatorConfig;
import io.wakeline.simulator.WebPushSubscriptionRecord;
import io.wakeline.protocol.v1.Notification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8030 push receipts through a real node: HTTPS sends with {@code Prefer: respond-async}, simulated devices over
 * real TCP that acknowledge with {@code WebPushAck}, and the receipt subscription read as Server-Sent Events
 * ({@code GET /wp/r/…}, the stand-in for HTTP/2 server push). One device per test.
 */
class WebPushReceiptsEndToEndTest {
    private static final int DEVICES = 6;
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECEIPT_REL = "rel=\"urn:ietf:params:push:receipt\"";

    @TempDir
    static Path dataDir;

    private static BrokerNode node;
    private static DeviceSimulator simulator;
    private static AppServerClient appServer;
    private static String token;
    private static final Map<String, List<WebPushNotification>> webPushes = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        int https = TestNodeConfig.freePort();
        node = BrokerNode.start(TestNodeConfig.node(dataDir, https, TestNodeConfig.freePort(), 0,
                "wakeline.device.push.web-push.ack-wait = 1s"));
        simulator = DeviceSimulator.start(SimulatorConfig.builder()
                .host("127.0.0.1").port(node.deviceGatewayPort())
                .deviceCount(DEVICES).deviceIdPrefix("receipts-")
                .fleetSecret(FLEET_SECRET)
                .appIds(List.of(APP_A))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .listener(new NotificationListener() {
                    @Override
                    public void onNotification(String deviceId, Notification notification) {
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

    // ---- helpers --------------------------------------------------------------------------------------

    private static HttpResponse<String> push(String endpoint, String ttl, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint)).timeout(Duration.ofSeconds(10))
                .header("TTL", ttl).header("Content-Encoding", "aes128gcm")
                .POST(HttpRequest.BodyPublishers.ofByteArray("opaque".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return appServer.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String receiptLink(HttpResponse<String> response) {
        assertEquals(202, response.statusCode(), response.body());
        String link = response.headers().firstValue("Link").orElseThrow();
        assertTrue(link.endsWith(">; " + RECEIPT_REL), link);
        return link.substring(1, link.indexOf('>'));
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElseThrow();
    }

    private static int get(String uri) throws Exception {
        return appServer.http().send(HttpRequest.newBuilder(URI.create(uri)).GET().timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static EventStreamClient receipts(String receiptSubscription, Optional<Long> lastEventId) throws Exception {
        return EventStreamClient.open(appServer.http(), URI.create(receiptSubscription), lastEventId);
    }

    private static JsonNode data(EventStreamClient.Event event) throws Exception {
        assertEquals("receipt", event.type());
        return JSON.readTree(event.data());
    }

    /**
     * "Nothing more on this stream": a marker message to {@code endpoint} asks for its receipt on the same receipt
     * subscription, and its receipt must be the stream's next event; a receipt recorded before it would come first.
     * Returns the marker's message resource.
     */
    private static String assertNextReceiptIsAMarker(EventStreamClient stream, String endpoint, String receiptSubscription)
            throws Exception {
        HttpResponse<String> marker = push(endpoint, "60", "Prefer", "respond-async",
                "Link", "<" + receiptSubscription + ">; " + RECEIPT_REL);
        assertEquals(receiptSubscription, receiptLink(marker));
        JsonNode next = data(stream.next(WAIT));
        assertEquals(location(marker), next.get("message").asText(), "the marker's receipt comes next");
        assertEquals("acknowledged", next.get("fate").asText());
        return location(marker);
    }

    /** Disconnects and waits until the broker's entity has seen it (a raw send reports "disconnected"). */
    private static void takeOffline(String deviceId) throws Exception {
        String channel = simulator.channels().stream().filter(c -> c.deviceId().equals(deviceId))
                .map(ChannelRecord::channelUri).findFirst().orElseThrow();
        simulator.disconnect(deviceId);
        awaitUntil(WAIT, () -> {
            try {
                return "disconnected".equals(appServer.sendRaw(channel, token, new byte[] {1}, "X-WNS-RequestForStatus", "true")
                        .headers().firstValue("X-WNS-DeviceConnectionStatus").orElse(""));
            } catch (Exception e) {
                return false;
            }
        });
    }

    // ---- tests ----------------------------------------------------------------------------------------

    @Test
    void aMessageAcknowledgedByTheDeviceGetsA204ReceiptOnTheReceiptSubscription() throws Exception {
        WebPushSubscriptionRecord subscription = simulator.subscribeWebPush("receipts-0", APP_A, new byte[0]);
        HttpResponse<String> sent = push(subscription.endpoint(), "60", "Prefer", "respond-async");
        String receiptSubscription = receiptLink(sent);

        try (EventStreamClient stream = receipts(receiptSubscription, Optional.empty())) {
            EventStreamClient.Event event = stream.next(WAIT);
            assertEquals(1000, event.id(), "the first event of the log's first entry");
            JsonNode receipt = data(event);
            assertEquals(location(sent), receipt.get("message").asText());
            assertEquals(204, receipt.get("status").asInt());
            assertEquals("acknowledged", receipt.get("fate").asText());
            assertFalse(receipt.has("deviceId"), "nothing that correlates subscriptions (RFC 8030 §8)");
        }
        assertEquals(1, webPushes.get("receipts-0").size());
    }

    @Test
    void aMessageWhoseTtlEndsWhileTheDeviceIsOfflineGetsA410Receipt() throws Exception {
        String device = "receipts-1";
        WebPushSubscriptionRecord subscription = simulator.subscribeWebPush(device, APP_A, new byte[0]);
        takeOffline(device);
        HttpResponse<String> sent = push(subscription.endpoint(), "1", "Prefer", "respond-async");
        String receiptSubscription = receiptLink(sent);

        try (EventStreamClient stream = receipts(receiptSubscription, Optional.empty())) {
            JsonNode receipt = data(stream.next(WAIT));
            assertEquals(location(sent), receipt.get("message").asText());
            assertEquals(410, receipt.get("status").asInt());
            assertEquals("expired", receipt.get("fate").asText());
            simulator.connect(device);
            awaitUntil(WAIT, () -> simulator.stats().summaryLine().contains("linked=" + DEVICES));
            assertNextReceiptIsAMarker(stream, subscription.endpoint(), receiptSubscription); // one receipt per message
            assertEquals(1, webPushes.get(device).size(), "never delivered after its TTL: the device got the marker only");
        }
    }

    @Test
    void aMessageTheSenderDeletesBeforeDeliveryGetsA410Receipt() throws Exception {
        String device = "receipts-2";
        WebPushSubscriptionRecord subscription = simulator.subscribeWebPush(device, APP_A, new byte[0]);
        takeOffline(device);
        HttpResponse<String> sent = push(subscription.endpoint(), "600", "Prefer", "respond-async");
        String receiptSubscription = receiptLink(sent);
        assertEquals(204, appServer.http().send(HttpRequest.newBuilder(URI.create(location(sent))).DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());

        try (EventStreamClient stream = receipts(receiptSubscription, Optional.empty())) {
            JsonNode receipt = data(stream.next(WAIT));
            assertEquals(location(sent), receipt.get("message").asText());
            assertEquals(410, receipt.get("status").asInt());
            assertEquals("deleted", receipt.get("fate").asText());
        }
        simulator.connect(device);
    }

    @Test
    void onlyMessagesThatAskedForAReceiptGetOne() throws Exception {
        WebPushSubscriptionRecord subscription = simulator.subscribeWebPush("receipts-3", APP_A, new byte[0]);
        HttpResponse<String> asked = push(subscription.endpoint(), "60", "Prefer", "respond-async");
        String receiptSubscription = receiptLink(asked);
        // the receipt subscription handed back, but no Prefer: respond-async: 201, no receipt
        HttpResponse<String> notAsked = push(subscription.endpoint(), "60",
                "Link", "<" + receiptSubscription + ">; " + RECEIPT_REL);
        assertEquals(201, notAsked.statusCode(), notAsked.body());
        assertTrue(notAsked.headers().firstValue("Link").isEmpty());
        awaitUntil(WAIT, () -> webPushes.getOrDefault("receipts-3", List.of()).size() == 2);

        try (EventStreamClient stream = receipts(receiptSubscription, Optional.empty())) {
            assertEquals(location(asked), data(stream.next(WAIT)).get("message").asText());
            // the other message was acked too, before the marker was sent: a receipt of it would come first
            assertNextReceiptIsAMarker(stream, subscription.endpoint(), receiptSubscription);
        }
    }

    @Test
    void theStreamResumesAfterLastEventIdAndReceiptsAggregateAcrossSubscriptions() throws Exception {
        WebPushSubscriptionRecord first = simulator.subscribeWebPush("receipts-4", APP_A, new byte[0]);
        WebPushSubscriptionRecord second = simulator.subscribeWebPush("receipts-4", APP_A, new byte[0]);
        HttpResponse<String> one = push(first.endpoint(), "60", "Prefer", "respond-async");
        String receiptSubscription = receiptLink(one);
        String handBack = "<" + receiptSubscription + ">; " + RECEIPT_REL;
        HttpResponse<String> two = push(second.endpoint(), "60", "Prefer", "respond-async", "Link", handBack);
        assertEquals(receiptSubscription, receiptLink(two), "the receipt subscription handed back is reused (RFC 8030 §5.1)");

        long seen;
        long secondId;
        try (EventStreamClient stream = receipts(receiptSubscription, Optional.empty())) {
            List<EventStreamClient.Event> events = stream.take(2, WAIT);
            assertTrue(events.get(1).id() > events.get(0).id(), "ids increase");
            assertEquals(java.util.Set.of(location(one), location(two)),
                    java.util.Set.of(data(events.get(0)).get("message").asText(), data(events.get(1)).get("message").asText()));
            seen = events.get(0).id();
            secondId = events.get(1).id();
        }
        // away, then a third message is acked while nobody reads
        HttpResponse<String> three = push(first.endpoint(), "60", "Prefer", "respond-async", "Link", handBack);
        assertEquals(receiptSubscription, receiptLink(three));
        awaitUntil(WAIT, () -> webPushes.getOrDefault("receipts-4", List.of()).size() == 3);

        try (EventStreamClient resumed = receipts(receiptSubscription, Optional.of(seen))) {
            List<EventStreamClient.Event> events = resumed.take(2, WAIT);
            assertEquals(secondId, events.get(0).id(), "exactly the events after Last-Event-ID");
            assertTrue(events.get(1).id() > secondId);
            assertEquals(location(three), data(events.get(1)).get("message").asText());
        }
    }

    @Test
    void anInvalidReceiptSubscriptionIs400AndAnythingButOneOfOursIs404() throws Exception {
        WebPushSubscriptionRecord subscription = simulator.subscribeWebPush("receipts-5", APP_A, new byte[0]);
        String base = node.appGatewayUrl();
        String pushToken = subscription.endpoint().substring(subscription.endpoint().lastIndexOf('/') + 1);
        HttpResponse<String> forged = push(subscription.endpoint(), "60", "Prefer", "respond-async",
                "Link", "<" + base + "/wp/r/" + pushToken + ">; " + RECEIPT_REL);
        assertEquals(400, forged.statusCode(), forged.body());

        String mine = receiptLink(push(subscription.endpoint(), "60", "Prefer", "respond-async"));
        assertEquals(404, get(base + "/wp/r/" + pushToken), "a push resource is not a receipt subscription");
        assertEquals(404, get(base + "/wp/r/AAAA"));
        assertEquals(404, get(mine.substring(0, mine.length() - 3) + (mine.endsWith("xyz") ? "abc" : "xyz")));

        // another sender's receipt subscription shows nothing of this one
        WebPushSubscriptionRecord other = simulator.subscribeWebPush("receipts-5", APP_A, new byte[0]);
        String theirs = receiptLink(push(other.endpoint(), "60", "Prefer", "respond-async"));
        try (EventStreamClient stream = receipts(theirs, Optional.empty())) {
            JsonNode only = data(stream.next(WAIT));
            assertFalse(only.get("message").asText().isEmpty());
            assertNextReceiptIsAMarker(stream, other.endpoint(), theirs);
        }
        try (EventStreamClient stream = receipts(mine, Optional.empty())) {
            assertEquals(1, stream.take(1, WAIT).size());
            assertNextReceiptIsAMarker(stream, subscription.endpoint(), mine);
        }
    }
}
