package io.wakeline.simulator;

import static io.wakeline.simulator.DeviceSimulatorTest.FLEET_SECRET;
import static io.wakeline.simulator.DeviceSimulatorTest.MAIL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.protocol.v1.GoAwayReason;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several gateway addresses: devices spread over them and move to a live one when theirs fails or says GoAway. */
@Timeout(30)
class GatewayFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int DEVICES = 12;

    private final List<FakeBroker> brokers = new java.util.ArrayList<>();
    private DeviceSimulator simulator;

    @AfterEach
    void stopAll() throws IOException {
        if (simulator != null) {
            simulator.close();
        }
        for (FakeBroker broker : brokers) {
            broker.close();
        }
    }

    private void startBrokersAndFleet(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            brokers.add(new FakeBroker(FLEET_SECRET, Set.of(MAIL), 30));
        }
        simulator = DeviceSimulator.start(SimulatorConfig.builder()
                .gateways(brokers.stream().map(b -> new GatewayAddress("127.0.0.1", b.port())).toList())
                .deviceCount(DEVICES)
                .fleetSecret(FLEET_SECRET)
                .appIds(List.of(MAIL))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(300))
                .build());
        assertTrue(simulator.awaitChannels(WAIT), simulator.stats()::summaryLine);
    }

    private long linkedTo(FakeBroker broker) {
        return IntStream.range(0, DEVICES).filter(i -> broker.isLinked("dev-" + i)).count();
    }

    @Test
    void devicesAreSpreadOverEveryGatewayByPosition() throws IOException {
        startBrokersAndFleet(3);

        for (int i = 0; i < DEVICES; i++) {
            assertTrue(brokers.get(i % 3).isLinked("dev-" + i), "dev-" + i + " on gateway " + i % 3);
        }
        assertEquals(List.of(4L, 4L, 4L), brokers.stream().map(this::linkedTo).toList());
    }

    @Test
    void aDeadGatewaysDevicesReconnectToTheSurvivors() throws IOException {
        startBrokersAndFleet(3);
        FakeBroker dead = brokers.get(1);

        dead.close(); // its links reset, its port refuses

        Eventually.await(WAIT, "every device linked to a survivor",
                () -> linkedTo(brokers.get(0)) + linkedTo(brokers.get(2)) == DEVICES);
        assertEquals(DEVICES, simulator.stats().connected(), simulator.stats()::summaryLine);
        for (int i = 1; i < DEVICES; i += 3) {
            String device = "dev-" + i;
            assertTrue(brokers.get(0).isLinked(device) || brokers.get(2).isLinked(device), device + " moved");
        }
    }

    @Test
    void goAwayDrainingSendsTheDeviceToAnotherGateway() throws IOException {
        startBrokersAndFleet(2);

        brokers.get(0).sendGoAway("dev-0", GoAwayReason.DRAINING, 200);

        Eventually.await(WAIT, "dev-0 linked to the other gateway", () -> brokers.get(1).isLinked("dev-0"));
        assertEquals(1, brokers.get(0).welcomed("dev-0").size(), "not back to the draining gateway");
    }

    @Test
    void gatewayListsAreParsedStrictly() {
        assertEquals(List.of(new GatewayAddress("127.0.0.1", 7400), new GatewayAddress("::1", 7401),
                new GatewayAddress("broker-2.internal", 7402)),
                GatewayAddress.parseList("127.0.0.1:7400, [::1]:7401,broker-2.internal:7402"));
        assertEquals("[::1]:7401", new GatewayAddress("::1", 7401).toString());
        assertThrows(IllegalArgumentException.class, () -> GatewayAddress.parse("127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> GatewayAddress.parse("127.0.0.1:"));
        assertThrows(IllegalArgumentException.class, () -> GatewayAddress.parse("host:seventy"));
        assertThrows(IllegalArgumentException.class, () -> GatewayAddress.parse("host:70000"));
        assertThrows(IllegalArgumentException.class, () -> GatewayAddress.parseList(" , "));
    }
}
