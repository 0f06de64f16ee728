package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.TestDatabase;
import io.wakeline.simulator.ChannelRecord;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Registered apps and issued channels survive a broker restart: recovered from the journal, on each
 * backend (the H2 file under data-dir, a PostgreSQL database).
 */
class RestartRecoveryTest {
    private static final String APP_C = "ms-app://S-1-15-2-3003";

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(PersistenceBackend.class)
    void appsAndChannelsSurviveARestart(PersistenceBackend backend) throws Exception {
        try (TestDatabase database = TestDatabase.create(backend, "restart")) {
            restartAndCheck(database);
        }
        // the state came back from the backend under test, not from an H2 file beside it
        assertEquals(backend == PersistenceBackend.H2, Files.exists(dataDir.resolve("broker.mv.db")));
    }

    private void restartAndCheck(TestDatabase database) throws Exception {
        int https = TestNodeConfig.freePort();
        int devicePort = TestNodeConfig.freePort();
        Map<String, byte[]> received = new ConcurrentHashMap<>();
        List<ChannelRecord> before;
        DeviceSimulator simulator = null;
        try {
            try (BrokerNode first = BrokerNode.start(TestNodeConfig.node(dataDir, https, devicePort, 0, database, ""))) {
                simulator = DeviceSimulator.start(SimulatorConfig.builder()
                        .host("127.0.0.1").port(devicePort).deviceCount(20).deviceIdPrefix("restart-")
                        .fleetSecret(FLEET_SECRET).appIds(List.of(APP_A))
                        .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                        .listener((deviceId, n) -> received.put(deviceId, n.getPayload().toByteArray()))
                        .build());
                assertTrue(simulator.awaitChannels(Duration.ofSeconds(30)));
                before = List.copyOf(simulator.channels());
                AppServerClient admin = new AppServerClient(first.appGatewayUrl(), first.certificatePem());
                HttpResponse<String> registered = admin.http().send(HttpRequest.newBuilder(URI.create(first.appGatewayUrl() + "/admin/apps"))
                        .header("Authorization", "Bearer " + TestNodeConfig.ADMIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"packageSid\":\"" + APP_C + "\",\"clientSecret\":\"secret-c\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, registered.statusCode(), registered::body);
            }

            long handshakesBefore = simulator.stats().handshakesCompleted();
            try (BrokerNode second = BrokerNode.start(TestNodeConfig.node(dataDir, https, devicePort, 0, database, ""))) {
                DeviceSimulator sim = simulator;
                awaitUntil(Duration.ofSeconds(30),
                        () -> sim.stats().handshakesCompleted() >= handshakesBefore + 20 && sim.stats().connected() == 20);
                AppServerClient appServer = new AppServerClient(second.appGatewayUrl(), second.certificatePem());
                String token = appServer.token(APP_A, SECRET_A);
                ChannelRecord old = before.get(0);
                byte[] payload = "after-restart".getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> response = appServer.sendRaw(old.channelUri(), token, payload);
                assertEquals(200, response.statusCode(), "a channel issued before the restart must still be known");
                assertEquals("received", response.headers().firstValue("X-WNS-Status").orElse(""));
                awaitUntil(Duration.ofSeconds(10), () -> received.containsKey(old.deviceId()));
                assertArrayEquals(payload, received.get(old.deviceId()));

                appServer.token(APP_C, "secret-c"); // the app registered over the admin endpoint is still known
            }
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }
}
