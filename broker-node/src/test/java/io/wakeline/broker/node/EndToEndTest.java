package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.TestWaits.pollUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.APP_B;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.TestDatabase;
import io.wakeline.simulator.ChannelRecord;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: a node on free ports (journal, HTTPS, Netty), 200 simulated devices
 * over real TCP, an app server over real HTTPS. Runs once per journal backend ({@link EndToEndOnH2Test},
 * {@link EndToEndOnPostgresTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndTest {
    private static final int DEVICES = 200;

    private final PersistenceBackend backend;
    private TestDatabase database;
    private BrokerNode node;
    private DeviceSimulator simulator;
    private AppServerClient appServer;
    private final Map<String, List<byte[]>> received = new ConcurrentHashMap<>();

    EndToEndTest(PersistenceBackend backend) {
        this.backend = backend;
    }

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        if (!TestDatabase.isAvailable(backend)) {
            return; // requireDatabase() reports it on every test
        }
        database = TestDatabase.create(backend, "end_to_end");
        int https = TestNodeConfig.freePort();
        node = BrokerNode.start(TestNodeConfig.node(dataDir, https, TestNodeConfig.freePort(), 0, database, ""));
        simulator = DeviceSimulator.start(SimulatorConfig.builder()
                .host("127.0.0.1").port(node.deviceGatewayPort())
                .deviceCount(DEVICES).deviceIdPrefix("e2e-")
                .fleetSecret(FLEET_SECRET)
                .appIds(List.of(APP_A, APP_B))
                .connectRatePerSecond(1000)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                .listener((deviceId, notification) -> received
                        .computeIfAbsent(deviceId + "|" + notification.getAppId(), k -> new CopyOnWriteArrayList<>())
                        .add(notification.getPayload().toByteArray()))
                .build());
        assertTrue(simulator.awaitChannels(Duration.ofSeconds(60)), () -> "channels: " + simulator.stats().summaryLine());
        appServer = new AppServerClient(node.appGatewayUrl(), node.certificatePem());
    }

    @BeforeEach
    void requireDatabase() {
        TestDatabase.require(backend);
    }

    @AfterAll
    void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (node != null) {
            node.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aRawPushToEveryDeviceArrivesExactlyOnceWithIdenticalBytes() throws Exception {
        String token = appServer.token(APP_A, SECRET_A);
        Random random = new Random(42);
        Map<String, byte[]> sent = new ConcurrentHashMap<>();
        List<ChannelRecord> channels = channelsOf(APP_A);
        assertEquals(DEVICES, channels.size());
        for (ChannelRecord channel : channels) {
            byte[] payload = new byte[1 + random.nextInt(5000)];
            random.nextBytes(payload);
            HttpResponse<String> response = appServer.sendRaw(channel.channelUri(), token, payload);
            assertEquals(200, response.statusCode(), response::toString);
            assertEquals("received", response.headers().firstValue("X-WNS-Status").orElse(""));
            sent.put(channel.deviceId(), payload);
        }
        awaitUntil(Duration.ofSeconds(20), () -> sent.keySet().stream().allMatch(d -> received.containsKey(d + "|" + APP_A)));
        // then a marker to every device: a duplicate of the first push would have reached the link before it
        byte[] marker = "marker".getBytes(StandardCharsets.UTF_8);
        for (ChannelRecord channel : channels) {
            assertEquals(200, appServer.sendRaw(channel.channelUri(), token, marker).statusCode());
        }
        awaitUntil(Duration.ofSeconds(20), () -> sent.keySet().stream().allMatch(d -> received.get(d + "|" + APP_A).size() >= 2));
        for (Map.Entry<String, byte[]> e : sent.entrySet()) {
            List<byte[]> got = received.get(e.getKey() + "|" + APP_A);
            assertEquals(2, got.size(), "device " + e.getKey() + " received " + got.size() + " notifications, not push and marker");
            assertArrayEquals(e.getValue(), got.get(0));
            assertArrayEquals(marker, got.get(1));
        }
    }

    @Test
    void aPushToADisconnectedDeviceIsDropped() throws Exception {
        String token = appServer.token(APP_B, SECRET_B);
        ChannelRecord channel = channelsOf(APP_B).get(0);
        simulator.disconnect(channel.deviceId());
        HttpResponse<String> last = pollUntil(Duration.ofSeconds(10),
                () -> appServer.sendRaw(channel.channelUri(), token, new byte[] {1}, "X-WNS-RequestForStatus", "true"),
                answer -> "dropped".equals(answer.headers().firstValue("X-WNS-Status").orElse("")));
        assertEquals(200, last.statusCode());
        assertEquals("dropped", last.headers().firstValue("X-WNS-Status").orElse(""));
        assertEquals("disconnected", last.headers().firstValue("X-WNS-DeviceConnectionStatus").orElse(""));
        simulator.connect(channel.deviceId());
    }

    @Test
    void aTamperedChannelUriIsNotFound() throws Exception {
        String token = appServer.token(APP_A, SECRET_A);
        String uri = channelsOf(APP_A).get(1).channelUri();
        int i = uri.length() - 10;
        String tampered = uri.substring(0, i) + (uri.charAt(i) == 'A' ? 'B' : 'A') + uri.substring(i + 1);
        assertEquals(404, appServer.sendRaw(tampered, token, new byte[] {1}).statusCode());
    }

    @Test
    void anotherAppsTokenIsForbidden() throws Exception {
        String tokenOfB = appServer.token(APP_B, SECRET_B);
        HttpResponse<String> response = appServer.sendRaw(channelsOf(APP_A).get(2).channelUri(), tokenOfB, new byte[] {1});
        assertEquals(403, response.statusCode());
    }

    @Test
    void aPayloadOf5001BytesIsTooLarge() throws Exception {
        String token = appServer.token(APP_A, SECRET_A);
        HttpResponse<String> response = appServer.sendRaw(channelsOf(APP_A).get(3).channelUri(), token, new byte[5001]);
        assertEquals(413, response.statusCode());
    }

    private List<ChannelRecord> channelsOf(String appId) {
        Map<String, ChannelRecord> firstPerDevice = new ConcurrentHashMap<>();
        for (ChannelRecord record : simulator.channels()) {
            if (record.appId().equals(appId)) {
                firstPerDevice.putIfAbsent(record.deviceId(), record);
            }
        }
        List<ChannelRecord> list = new ArrayList<>(firstPerDevice.values());
        list.sort((a, b) -> a.deviceId().compareTo(b.deviceId()));
        return list;
    }
}
