package io.wakeline.simulator;

import static io.wakeline.simulator.DeviceSimulatorTest.FLEET_SECRET;
import static io.wakeline.simulator.DeviceSimulatorTest.MAIL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.protocol.v1.ErrorCode;
import io.wakeline.protocol.v1.GoAwayReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DeviceSimulatorReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration BACKOFF_MIN = Duration.ofMillis(400);

    private FakeBroker broker;
    private DeviceSimulator simulator;

    @BeforeEach
    void startBroker() throws IOException {
        broker = new FakeBroker(FLEET_SECRET, Set.of(MAIL), 30);
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
                .port(broker.port())
                .deviceCount(devices)
                .fleetSecret(FLEET_SECRET)
                .appIds(List.of(MAIL))
                .reconnectBackoff(BACKOFF_MIN, Duration.ofSeconds(5));
    }

    @Test
    void droppedLinkIsReestablishedAfterABackoff() throws IOException {
        simulator = DeviceSimulator.start(fleet(1).build());
        assertTrue(simulator.awaitChannels(WAIT));

        long droppedAt = System.nanoTime();
        broker.drop("dev-0");

        Eventually.await(WAIT, "second link", () -> broker.welcomed("dev-0").size() == 2);
        long gap = broker.welcomed("dev-0").get(1).acceptedAtNanos() - droppedAt;
        assertTrue(gap >= BACKOFF_MIN.toNanos() / 2, "reconnected after " + gap / 1_000_000 + " ms");
        assertTrue(gap < BACKOFF_MIN.toNanos() + Duration.ofSeconds(1).toNanos(), "first retry uses the minimum");
        assertEquals(1, simulator.stats().reconnects());
        assertEquals(2, simulator.stats().handshakesCompleted());
        assertEquals(1, simulator.channels().size(), "the channel it already holds is not requested again");
    }

    @Test
    void goAwayDelayIsWaitedOutBeforeReconnecting() throws IOException {
        simulator = DeviceSimulator.start(fleet(1).build());
        assertTrue(simulator.awaitChannels(WAIT));

        long goAwayAt = System.nanoTime();
        broker.sendGoAway("dev-0", GoAwayReason.DRAINING, 1_200);

        Eventually.await(WAIT, "link closed by the device", () -> broker.linksEnded("dev-0") == 1);
        assertTrue(System.nanoTime() - goAwayAt < Duration.ofMillis(1_000).toNanos(), "closed promptly");
        Eventually.await(WAIT, "second link", () -> broker.welcomed("dev-0").size() == 2);
        long gap = broker.welcomed("dev-0").get(1).acceptedAtNanos() - goAwayAt;
        assertTrue(gap >= Duration.ofMillis(1_200).toNanos(), "reconnected after " + gap / 1_000_000 + " ms");
        assertEquals(1, simulator.stats().goAways());
    }

    @Test
    void replacedLinkStaysOfflineUntilConnected() throws IOException {
        simulator = DeviceSimulator.start(fleet(1).build());
        assertTrue(simulator.awaitChannels(WAIT));

        broker.sendGoAway("dev-0", GoAwayReason.REPLACED, 0);
        Eventually.await(WAIT, "link closed", () -> broker.linksEnded("dev-0") == 1);
        sleep(BACKOFF_MIN.multipliedBy(2));

        assertEquals(1, broker.welcomed("dev-0").size(), "a replaced link does not fight its successor");
        simulator.connect("dev-0");
        Eventually.await(WAIT, "linked again on request", () -> broker.welcomed("dev-0").size() == 2);
    }

    @Test
    void disconnectKeepsTheDeviceOfflineUntilConnect() throws IOException {
        simulator = DeviceSimulator.start(fleet(3).build());
        assertTrue(simulator.awaitChannels(WAIT));

        simulator.disconnect("dev-1");

        Eventually.await(WAIT, "broker saw the link end", () -> broker.linksEnded("dev-1") == 1);
        assertEquals(2, simulator.stats().connected());
        sleep(BACKOFF_MIN.multipliedBy(2));
        assertEquals(1, broker.welcomed("dev-1").size(), "no reconnect while offline");
        assertTrue(broker.isLinked("dev-0") && broker.isLinked("dev-2"), "the others are untouched");

        simulator.connect("dev-1");

        Eventually.await(WAIT, "dev-1 linked again", () -> broker.welcomed("dev-1").size() == 2);
        Eventually.await(WAIT, "three connected", () -> simulator.stats().connected() == 3);
    }

    @Test
    void unknownDeviceIdIsRejected() {
        simulator = DeviceSimulator.start(fleet(3).build());

        assertThrows(IllegalArgumentException.class, () -> simulator.disconnect("dev-3"));
        assertThrows(IllegalArgumentException.class, () -> simulator.disconnect("dev-01"));
        assertThrows(IllegalArgumentException.class, () -> simulator.connect("other-1"));
    }

    @Test
    void wrongFleetSecretIsCountedAndRetriedWithGrowingBackoff() {
        byte[] wrongSecret = "not-the-fleet-secret".getBytes(StandardCharsets.US_ASCII);
        simulator = DeviceSimulator.start(fleet(1).fleetSecret(wrongSecret)
                .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)).build());

        sleep(Duration.ofMillis(2_500));

        // delays are drawn from [100, 200], [200, 400], [400, 800], [800, 1600] ms: 4 or 5 attempts fit in 2.5 s
        int attempts = broker.rejected().size();
        assertTrue(attempts >= 3 && attempts <= 6, attempts + " attempts in 2.5 s");
        Eventually.await(WAIT, "every rejection counted",
                () -> simulator.stats().errors(ErrorCode.AUTHENTICATION_FAILED) >= attempts);
        assertEquals(0, simulator.stats().handshakesCompleted());
        assertFalse(simulator.awaitChannels(Duration.ofMillis(10)));
    }

    @Test
    void closeEndsEveryLink() throws IOException {
        simulator = DeviceSimulator.start(fleet(5).build());
        assertTrue(simulator.awaitChannels(WAIT));

        simulator.close();

        for (int i = 0; i < 5; i++) {
            String deviceId = "dev-" + i;
            Eventually.await(WAIT, deviceId + " link ended", () -> broker.linksEnded(deviceId) == 1);
        }
        assertEquals(0, simulator.stats().connected());
        assertEquals(5, simulator.channels().size(), "channels stay readable after close");
        assertThrows(IllegalStateException.class, () -> simulator.disconnect("dev-0"));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
