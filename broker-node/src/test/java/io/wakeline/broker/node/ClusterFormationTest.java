package io.wakeline.broker.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.actor.Address;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterFormationTest {

    private static Config formation(String mode, String seedNodes) {
        return ConfigFactory.parseString("wakeline.cluster.formation = \"" + mode + "\"\n"
                + "wakeline.cluster.seed-nodes = \"" + seedNodes + "\"");
    }

    @Test
    void theThreeFormationsAreNamedAsInTheConfiguration() {
        assertEquals(ClusterFormation.Mode.SELF, ClusterFormation.Mode.fromConfig(formation("self", "")));
        assertEquals(ClusterFormation.Mode.SEED_NODES, ClusterFormation.Mode.fromConfig(formation("seed-nodes", "")));
        assertEquals(ClusterFormation.Mode.KUBERNETES_API, ClusterFormation.Mode.fromConfig(formation("kubernetes-api", "")));
        assertEquals(ClusterFormation.Mode.SELF, ClusterFormation.Mode.fromConfig(BrokerConfig.load()), "default");
    }

    @Test
    void anUnknownFormationIsRefusedWithTheChoices() {
        var e = assertThrows(IllegalArgumentException.class, () -> ClusterFormation.Mode.fromConfig(formation("dns", "")));
        assertEquals("wakeline.cluster.formation must be one of [self, seed-nodes, kubernetes-api], got \"dns\"", e.getMessage());
    }

    @Test
    void seedNodesAreACommaSeparatedListOfArteryAddresses() {
        List<Address> seeds = ClusterFormation.seedNodes(
                formation("seed-nodes", " akka://wakeline@127.0.0.1:25520, akka://wakeline@10.0.0.2:25521 ,"), "wakeline");
        assertEquals(List.of(new Address("akka", "wakeline", "127.0.0.1", 25520), new Address("akka", "wakeline", "10.0.0.2", 25521)),
                seeds);
        assertEquals(List.of(), ClusterFormation.seedNodes(formation("seed-nodes", ""), "wakeline"));
    }

    @Test
    void aSeedNodeOfAnotherClusterOrWithoutPortIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ClusterFormation.seedNodes(formation("seed-nodes", "akka://other@127.0.0.1:25520"), "wakeline"));
        assertThrows(IllegalArgumentException.class,
                () -> ClusterFormation.seedNodes(formation("seed-nodes", "akka://wakeline@127.0.0.1"), "wakeline"));
        assertThrows(IllegalArgumentException.class,
                () -> ClusterFormation.seedNodes(formation("seed-nodes", "127.0.0.1:25520"), "wakeline"));
    }

    @Test
    void seedNodesInTheWrongFormationOrMissingForSeedNodesStopTheNodeBeforeItBindsAnything(@TempDir Path dir) throws Exception {
        int management = TestNodeConfig.freePort();
        for (String formation : List.of(
                "wakeline.cluster.seed-nodes = \"akka://wakeline@127.0.0.1:1\"",
                "wakeline.cluster.formation = seed-nodes",
                "wakeline.cluster.formation = kubernetes-api\nakka.cluster.seed-nodes = [\"akka://wakeline@127.0.0.1:1\"]")) {
            assertThrows(IllegalArgumentException.class, () -> BrokerNode.start(TestNodeConfig.node(dir,
                    TestNodeConfig.freePort(), TestNodeConfig.freePort(), 0, formation + "\nakka.management.http.port = " + management)));
            // refused before Akka Management bound its port
            try (ServerSocket socket = new ServerSocket(management, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(management, socket.getLocalPort());
            }
        }
    }
}
