package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.FLEET_SECRET;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.wakeline.broker.TestClusters;
import io.wakeline.broker.TestDatabase;
import io.wakeline.broker.device.DeviceEntity;
import io.wakeline.simulator.ChannelRecord;
import io.wakeline.simulator.DeviceSimulator;
import io.wakeline.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two nodes in one JVM: every device's link is on node A (which hosts no entities), every entity on
 * node B. Attach, channel requests and deliveries therefore all cross the remoting boundary serialized.
 * On H2 each node has its own file (only B's is written); on PostgreSQL both share one database, as a
 * cluster does.
 */
class TwoNodeTest {
    private static final int DEVICES = 10;

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    @TempDir
    Path dirC;

    @ParameterizedTest
    @EnumSource(PersistenceBackend.class)
    void aDeviceLinkedToOneNodeIsServedByItsEntityOnTheOther(PersistenceBackend backend) throws Exception {
        try (TestDatabase database = TestDatabase.create(backend, "two_nodes")) {
            crossNodeDelivery(database);
        }
    }

    private void crossNodeDelivery(TestDatabase database) throws Exception {
        int remotingB = TestNodeConfig.freePort();
        String entityRole = "wakeline.entity-role = \"entities\"\n";
        try (BrokerNode nodeB = BrokerNode.start(TestNodeConfig.node(dirB, TestNodeConfig.freePort(), TestNodeConfig.freePort(), remotingB, database,
                     entityRole + "akka.cluster.roles = [\"entities\"]"));
             BrokerNode nodeA = BrokerNode.start(TestNodeConfig.node(dirA, TestNodeConfig.freePort(), TestNodeConfig.freePort(), 0, database,
                     entityRole + "akka.cluster.seed-nodes = [\"akka://wakeline@127.0.0.1:" + remotingB + "\"]"))) {
            awaitUntil(Duration.ofSeconds(30), () -> upMembers(nodeA) == 2);

            Map<String, byte[]> received = new ConcurrentHashMap<>();
            try (DeviceSimulator simulator = DeviceSimulator.start(SimulatorConfig.builder()
                    .host("127.0.0.1").port(nodeA.deviceGatewayPort()).deviceCount(DEVICES).deviceIdPrefix("cross-")
                    .fleetSecret(FLEET_SECRET).appIds(List.of(APP_A))
                    .listener((deviceId, n) -> received.put(deviceId, n.getPayload().toByteArray()))
                    .build())) {
                assertTrue(simulator.awaitChannels(Duration.ofSeconds(30)), () -> simulator.stats().summaryLine());

                AppServerClient appServer = new AppServerClient(nodeA.appGatewayUrl(), nodeA.certificatePem());
                String token = appServer.token(APP_A, SECRET_A);
                for (ChannelRecord channel : simulator.channels()) {
                    byte[] payload = ("for " + channel.deviceId()).getBytes(StandardCharsets.UTF_8);
                    // any node serves any channel URI: send through node A, whose links hold the devices
                    String viaNodeA = nodeA.appGatewayUrl() + URI.create(channel.channelUri()).getRawPath();
                    HttpResponse<String> response = appServer.sendRaw(viaNodeA, token, payload);
                    assertEquals("received", response.headers().firstValue("X-WNS-Status").orElse(""), response::toString);
                }
                awaitUntil(Duration.ofSeconds(10), () -> received.size() == DEVICES);

                assertEquals(DEVICES, entityIdsOn(nodeB).size(), "every device entity lives on node B");
                assertEquals(0, nodeB.deviceGateway().attachedLinks(), "no device link is on node B");
                assertEquals(DEVICES, nodeA.deviceGateway().attachedLinks());
            }
        }
    }

    /**
     * Links on node A, entities on B and C; B leaves (its shards move to C). A restarted entity knows nothing of its
     * device's link, so every link whose entity stopped attaches again, and pushes reach the devices without them
     * reconnecting. Needs the shared PostgreSQL journal (C recovers what B wrote).
     */
    @org.junit.jupiter.api.Test
    void linksAttachAgainWhenTheirEntitiesMoveToAnotherNode() throws Exception {
        TestDatabase.require(PersistenceBackend.POSTGRES);
        try (TestDatabase database = TestDatabase.create(PersistenceBackend.POSTGRES, "entity_moves")) {
            int remotingB = TestNodeConfig.freePort();
            String entityRole = "wakeline.entity-role = \"entities\"\n";
            String seed = "akka.cluster.seed-nodes = [\"akka://wakeline@127.0.0.1:" + remotingB + "\"]\n";
            BrokerNode nodeB = BrokerNode.start(TestNodeConfig.node(dirB, TestNodeConfig.freePort(), TestNodeConfig.freePort(),
                    remotingB, database, entityRole + "akka.cluster.roles = [\"entities\"]"));
            try (BrokerNode nodeA = BrokerNode.start(TestNodeConfig.node(dirA, TestNodeConfig.freePort(), TestNodeConfig.freePort(),
                         0, database, entityRole + seed));
                 BrokerNode nodeC = BrokerNode.start(TestNodeConfig.node(dirC, TestNodeConfig.freePort(), TestNodeConfig.freePort(),
                         0, database, entityRole + seed + "akka.cluster.roles = [\"entities\"]"))) {
                awaitUntil(Duration.ofSeconds(30), () -> upMembers(nodeA) == 3);
                Map<String, byte[]> received = new ConcurrentHashMap<>();
                try (DeviceSimulator simulator = DeviceSimulator.start(SimulatorConfig.builder()
                        .host("127.0.0.1").port(nodeA.deviceGatewayPort()).deviceCount(DEVICES).deviceIdPrefix("moved-")
                        .fleetSecret(FLEET_SECRET).appIds(List.of(APP_A))
                        .listener((deviceId, n) -> received.put(deviceId, n.getPayload().toByteArray()))
                        .build())) {
                    assertTrue(simulator.awaitChannels(Duration.ofSeconds(30)), () -> simulator.stats().summaryLine());
                    int onB = entityIdsOn(nodeB).size();
                    assertTrue(onB > 0, "some entities live on node B: " + onB + " of " + DEVICES);

                    nodeB.close(); // leaves the cluster; its shards are handed off
                    awaitUntil(Duration.ofSeconds(30), () -> upMembers(nodeA) == 2);
                    awaitUntil(Duration.ofSeconds(30),
                            () -> nodeA.deviceGateway().metrics().entitiesReattached() >= onB);

                    AppServerClient appServer = new AppServerClient(nodeA.appGatewayUrl(), nodeA.certificatePem());
                    String token = appServer.token(APP_A, SECRET_A);
                    for (ChannelRecord channel : simulator.channels()) {
                        byte[] payload = ("after the move " + channel.deviceId()).getBytes(StandardCharsets.UTF_8);
                        String viaNodeA = nodeA.appGatewayUrl() + URI.create(channel.channelUri()).getRawPath();
                        HttpResponse<String> response = appServer.sendRaw(viaNodeA, token, payload);
                        assertEquals("received", response.headers().firstValue("X-WNS-Status").orElse(""),
                                () -> channel.deviceId() + " " + response + " " + response.body());
                    }
                    awaitUntil(Duration.ofSeconds(10), () -> received.size() == DEVICES
                            && received.values().stream().allMatch(p -> new String(p, StandardCharsets.UTF_8).startsWith("after")));
                    assertEquals(DEVICES, entityIdsOn(nodeC).size(), "every entity now lives on node C");
                    assertEquals(DEVICES, simulator.stats().handshakesCompleted(), "no device had to reconnect");
                }
            } finally {
                nodeB.close();
            }
        }
    }

    private static long upMembers(BrokerNode node) {
        return TestClusters.upMembers(node.system());
    }

    private static Set<String> entityIdsOn(BrokerNode node) {
        TestProbe<ShardRegion.CurrentShardRegionState> probe = TestProbe.create(node.system());
        ClusterSharding.get(node.system()).shardState().tell(new GetShardRegionState(DeviceEntity.ENTITY_KEY, probe.ref()));
        Set<String> ids = new HashSet<>();
        probe.receiveMessage(Duration.ofSeconds(5)).getShards().forEach(shard -> ids.addAll(shard.getEntityIds()));
        return ids;
    }
}
