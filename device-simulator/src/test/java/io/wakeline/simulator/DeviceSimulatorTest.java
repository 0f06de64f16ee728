package io.wakeline.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.wakeline.protocol.FrameEncoder;
import io.wakeline.protocol.v1.ChannelIssued;
import io.wakeline.protocol.v1.Envelope;
import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.Notification;
import io.wakeline.protocol.v1.Ping;
import io.wakeline.protocol.v1.WebPushNotification;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DeviceSimulatorTest {
    static final byte[] FLEET_SECRET = "fleet-secret-for-tests-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final String MAIL = "ms-app://S-1-15-2-1001";
    static final String CHAT = "ms-app://S-1-15-2-1002";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeBroker broker;
    private DeviceSimulator simulator;

    @BeforeEach
    void startBroker() throws IOException {
        broker = new FakeBroker(FLEET_SECRET, Set.of(MAIL, CHAT), 30);
    }

    @AfterEach
    void stopAll() throws IOException {
        if (simulator != null) {
            simulator.close();
        }
        broker.close();
    }

    private SimulatorConfig.Builder fleet(int devices) {
        return SimulatorConfig.builder()
                .host("127.0.0.1").port(broker.port())
                .deviceCount(devices).deviceIdPrefix("dev-").firstIndex(0)
                .fleetSecret(FLEET_SECRET)
                .appIds(List.of(MAIL, CHAT))
                .connectRatePerSecond(2_000)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    @Test
    void devicesAuthenticateAndGetAChannelForEveryApp() {
        simulator = DeviceSimulator.start(fleet(20).firstIndex(100).build());

        assertTrue(simulator.awaitChannels(WAIT));

        Set<String> linkedIds = broker.welcomed().stream().map(FakeBroker.LinkEvent::deviceId).collect(Collectors.toSet());
        Set<String> expectedIds = new HashSet<>();
        for (int i = 100; i < 120; i++) {
            expectedIds.add("dev-" + i);
        }
        assertEquals(expectedIds, linkedIds);
        List<ChannelRecord> channels = simulator.channels();
        assertEquals(40, channels.size());
        for (ChannelRecord channel : channels) {
            ChannelIssued issued = broker.issued(channel.deviceId(), channel.appId());
            assertEquals(new ChannelRecord(channel.deviceId(), channel.appId(), issued.getChannelUri(),
                    issued.getChannelId(), issued.getExpiresAtMillis()), channel);
        }
        SimulatorStats stats = simulator.stats();
        assertEquals(20, stats.devices());
        assertEquals(20, stats.connected());
        assertEquals(20, stats.linked());
        assertEquals(20, stats.handshakesCompleted());
        assertEquals(40, stats.channelsIssued());
        assertEquals(0, stats.reconnects());
        assertEquals(0, stats.errorsReceived());
    }

    @Test
    void channelFileHoldsOneJsonLinePerDeviceAndApp(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out/channels.jsonl");
        simulator = DeviceSimulator.start(fleet(5).channelFile(file).build());
        assertTrue(simulator.awaitChannels(WAIT));
        simulator.close();

        List<String> lines = Files.readAllLines(file);
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> byDeviceAndApp = new HashMap<>();
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            byDeviceAndApp.put(node.get("deviceId").asText() + " " + node.get("appId").asText(), node);
            assertEquals(List.of("deviceId", "appId", "channelUri", "channelId", "expiresAtMillis"), fieldNames(node));
        }
        assertEquals(10, lines.size());
        assertEquals(10, byDeviceAndApp.size());
        for (int i = 0; i < 5; i++) {
            for (String app : List.of(MAIL, CHAT)) {
                JsonNode node = byDeviceAndApp.get("dev-" + i + " " + app);
                ChannelIssued issued = broker.issued("dev-" + i, app);
                assertEquals(issued.getChannelUri(), node.get("channelUri").asText());
                assertEquals(issued.getChannelId(), node.get("channelId").asText());
                assertEquals(issued.getExpiresAtMillis(), node.get("expiresAtMillis").asLong());
            }
        }
    }

    @Test
    void everyNotificationIsAckedCountedAndHandedToTheListenerUnchanged() throws IOException {
        record Received(String deviceId, long deliveryId, byte[] payload) {
        }
        ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
        simulator = DeviceSimulator.start(fleet(4)
                .listener((deviceId, notification) -> received.add(new Received(deviceId,
                        notification.getDeliveryId(), notification.getPayload().toByteArray())))
                .build());
        assertTrue(simulator.awaitChannels(WAIT));

        Random random = new Random(42);
        Map<Long, byte[]> sentPayloads = new HashMap<>();
        Map<String, Set<Long>> sentIds = new HashMap<>();
        for (int n = 0; n < 60; n++) {
            String deviceId = "dev-" + (n % 4);
            byte[] payload = new byte[n == 0 ? 5 * 1024 : random.nextInt(300)];
            random.nextBytes(payload);
            long deliveryId = broker.sendNotification(deviceId, n % 2 == 0 ? MAIL : CHAT, payload);
            sentPayloads.put(deliveryId, payload);
            sentIds.computeIfAbsent(deviceId, id -> new HashSet<>()).add(deliveryId);
        }

        for (String deviceId : sentIds.keySet()) {
            Eventually.await(WAIT, "every notification to " + deviceId + " acked",
                    () -> broker.acked(deviceId).equals(sentIds.get(deviceId)));
        }
        assertEquals(60, received.size());
        for (Received notification : received) {
            assertArrayEquals(sentPayloads.get(notification.deliveryId()), notification.payload());
            assertTrue(sentIds.get(notification.deviceId()).contains(notification.deliveryId()),
                    "delivered to the device it was sent to");
        }
        Eventually.await(WAIT, "acks counted", () -> simulator.stats().acksSent() == 60);
        assertEquals(60, simulator.stats().notificationsReceived());
    }

    @Test
    void failingListenerDoesNotStopTheAck() throws IOException {
        simulator = DeviceSimulator.start(fleet(1)
                .listener((deviceId, notification) -> {
                    throw new IllegalStateException("listener bug");
                })
                .build());
        assertTrue(simulator.awaitChannels(WAIT));

        long deliveryId = broker.sendNotification("dev-0", MAIL, new byte[] {1, 2, 3});

        Eventually.await(WAIT, "notification acked", () -> broker.acked("dev-0").contains(deliveryId));
        assertTrue(broker.isLinked("dev-0"));
    }

    @Test
    void webPushMessagesAreAckedByTheirIdsInOneWebPushAck() throws IOException {
        simulator = DeviceSimulator.start(fleet(1).build());
        assertTrue(simulator.awaitChannels(WAIT));
        for (String messageId : List.of("M-1", "M-2")) {
            broker.send("dev-0", Envelope.newBuilder().setWebPushNotification(WebPushNotification.newBuilder()
                    .setDeliveryId(900).setAppId(MAIL).setSubscriptionId("sub-1").setMessageId(messageId)).build());
        }

        Eventually.await(WAIT, "both web push messages acked", () -> broker.framesFrom("dev-0", Envelope.BodyCase.WEB_PUSH_ACK)
                .stream().flatMap(f -> f.getWebPushAck().getMessagesList().stream())
                .map(m -> m.getSubscriptionId() + "/" + m.getMessageId()).toList().equals(List.of("sub-1/M-1", "sub-1/M-2")));
        assertTrue(broker.acked("dev-0").isEmpty(), "Web Push messages are acked by message id, not by delivery id");
    }

    @Test
    void framesArrivingInPiecesAreReassembled() throws Exception {
        List<byte[]> payloads = new java.util.concurrent.CopyOnWriteArrayList<>();
        simulator = DeviceSimulator.start(fleet(1)
                .listener((deviceId, notification) -> payloads.add(notification.getPayload().toByteArray()))
                .build());
        assertTrue(simulator.awaitChannels(WAIT));
        byte[] payload = new byte[700];
        new Random(1).nextBytes(payload);
        Envelope notification = Envelope.newBuilder().setNotification(Notification.newBuilder()
                .setDeliveryId(77).setAppId(MAIL).setPayload(ByteString.copyFrom(payload))).build();
        byte[] twoFrames = concat(FrameEncoder.encode(notification),
                FrameEncoder.encode(notification.toBuilder().setNotification(notification.getNotification().toBuilder()
                        .setDeliveryId(78)).build()));

        broker.trickleRawFrame("dev-0", twoFrames, 97);

        Eventually.await(WAIT, "both acked", () -> broker.acked("dev-0").equals(Set.of(77L, 78L)));
        assertEquals(2, payloads.size());
        assertArrayEquals(payload, payloads.get(0));
        assertArrayEquals(payload, payloads.get(1));
        assertEquals(List.of(), broker.errorsFromDevices());
    }

    @Test
    void brokerPingIsAnsweredWithAPongOfTheSameNonce() throws IOException {
        simulator = DeviceSimulator.start(fleet(1).build());
        assertTrue(simulator.awaitChannels(WAIT));

        broker.sendPing("dev-0", 0xCAFE_F00DL);

        Eventually.await(WAIT, "pong with the ping's nonce", () -> broker.pongsFrom("dev-0").contains(0xCAFE_F00DL));
    }

    @Test
    void devicePingsAtTheHeartbeatIntervalFromWelcome() throws IOException {
        broker.close();
        broker = new FakeBroker(FLEET_SECRET, Set.of(MAIL, CHAT), 1);
        simulator = DeviceSimulator.start(fleet(1).build());
        assertTrue(simulator.awaitChannels(WAIT));
        long linkedAt = System.nanoTime();

        // first ping within (0.5 s, 1 s], then one per second
        Eventually.await(Duration.ofSeconds(4), "two pings", () -> broker.pingsFrom("dev-0") >= 2);

        assertTrue(System.nanoTime() - linkedAt >= Duration.ofMillis(1_400).toNanos(),
                "two pings took at least about 1.5 heartbeat intervals");
    }

    @Test
    void unknownEnvelopeBodyIsAnsweredWithUnknownMessageAndTheLinkStaysOpen() throws IOException {
        simulator = DeviceSimulator.start(fleet(1).build());
        assertTrue(simulator.awaitChannels(WAIT));

        // Envelope field 99, length-delimited "new": a message type newer than this device
        broker.sendRawFrame("dev-0", new byte[] {0x06, (byte) 0x9A, 0x06, 0x03, 'n', 'e', 'w'});
        long deliveryId = broker.sendNotification("dev-0", MAIL, new byte[] {9});

        Eventually.await(WAIT, "notification after the unknown frame acked", () -> broker.acked("dev-0").contains(deliveryId));
        assertEquals(1, broker.errorsFromDevices().size());
        assertEquals(ErrorCode.UNKNOWN_MESSAGE, broker.errorsFromDevices().get(0).getCode());
        assertFalse(broker.errorsFromDevices().get(0).getFatal());
        assertEquals(1, broker.welcomed("dev-0").size(), "no reconnect");
    }

    @Test
    void unknownAppIsCountedAndLeavesThatChannelMissing() {
        simulator = DeviceSimulator.start(fleet(2).appIds(List.of(MAIL, "ms-app://S-1-15-2-9999")).build());

        Eventually.await(WAIT, "UNKNOWN_APP answers", () -> simulator.stats().errors(ErrorCode.UNKNOWN_APP) == 2);

        assertFalse(simulator.awaitChannels(Duration.ofMillis(200)));
        assertEquals(List.of(MAIL, MAIL), simulator.channels().stream().map(ChannelRecord::appId).toList());
        assertEquals(2, simulator.stats().linked(), "a non-fatal error keeps the link");
    }

    @Test
    void linksComeFromTheConfiguredSourceAddressesInTurn() throws IOException {
        simulator = DeviceSimulator.start(fleet(4).sourceAddresses(List.of("127.0.0.2", "127.0.0.3")).build());

        assertTrue(simulator.awaitChannels(WAIT));

        List<InetAddress> sources = new ArrayList<>();
        broker.welcomed().forEach(event -> sources.add(event.remoteAddress()));
        assertEquals(Set.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")), Set.copyOf(sources));
        assertEquals(2, sources.stream().filter(InetAddress.getByName("127.0.0.2")::equals).count());
    }

    @Test
    void connectsArePacedToTheConfiguredRate() {
        long start = System.nanoTime();
        simulator = DeviceSimulator.start(fleet(12).connectRatePerSecond(20).build());

        assertTrue(simulator.awaitChannels(WAIT));

        // 12 connects at 20/s: the twelfth may start no earlier than ~0.5 s after the first
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(450).toNanos());
    }

    @Test
    void framesOfTheCodecMatchProtobufDelimitedFormat() {
        // the fake broker speaks parseDelimitedFrom/writeDelimitedTo; this pins the assumption it relies on
        Envelope ping = Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(300)).build();
        java.io.ByteArrayOutputStream delimited = new java.io.ByteArrayOutputStream();
        try {
            ping.writeDelimitedTo(delimited);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertArrayEquals(delimited.toByteArray(), FrameEncoder.encode(ping));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
