package io.wakeline.broker.node;

import static io.wakeline.broker.TestWaits.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.TestClusters;
import io.wakeline.broker.management.NodeGateways;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Akka Management on real sockets: the endpoints Kubernetes probes, and a cluster formed from seed nodes. */
class ManagementEndpointTest {
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void aStartedNodeIsAliveAndReadyAndExportsItsDeviceCounters() throws Exception {
        int management = TestNodeConfig.freePort();
        BrokerNode node = BrokerNode.start(TestNodeConfig.node(dirA, TestNodeConfig.freePort(), TestNodeConfig.freePort(), 0,
                "akka.management.http.port = " + management));
        try {
            assertEquals(200, get(management, "/alive").statusCode());
            // start() returns with both gateways bound; the cluster and sharding checks follow within moments
            awaitUntil(Duration.ofSeconds(20), () -> status(management, "/ready") == 200);

            HttpResponse<String> metrics = get(management, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), metrics::toString);
            assertTrue(metrics.body().contains("\nwakeline_node_ready 1\n"), metrics::body);
            assertTrue(metrics.body().contains("# TYPE wakeline_device_links_opened_total counter\n"), metrics::body);
            assertTrue(metrics.body().contains("\nwakeline_device_links_attached 0\n"), metrics::body);
        } finally {
            node.close();
        }
        assertFalse(NodeGateways.get(node.system()).ready(), "draining makes the node unready");
    }

    @Test
    void twoNodesInSeedNodesModeFormOneCluster() throws Exception {
        int remotingA = TestNodeConfig.freePort();
        int managementA = TestNodeConfig.freePort();
        int managementB = TestNodeConfig.freePort();
        String formation = """
                wakeline.cluster.formation = seed-nodes
                wakeline.cluster.seed-nodes = "akka://wakeline@127.0.0.1:%d"
                """.formatted(remotingA);
        try (BrokerNode nodeA = BrokerNode.start(TestNodeConfig.node(dirA, TestNodeConfig.freePort(), TestNodeConfig.freePort(),
                     remotingA, formation + "akka.management.http.port = " + managementA));
             BrokerNode nodeB = BrokerNode.start(TestNodeConfig.node(dirB, TestNodeConfig.freePort(), TestNodeConfig.freePort(),
                     TestNodeConfig.freePort(), formation + "akka.management.http.port = " + managementB))) {
            awaitUntil(Duration.ofSeconds(30), () -> upMembers(nodeA) == 2 && upMembers(nodeB) == 2);
            awaitUntil(Duration.ofSeconds(20),
                    () -> status(managementA, "/ready") == 200 && status(managementB, "/ready") == 200);
        }
    }

    private static long upMembers(BrokerNode node) {
        return TestClusters.upMembers(node.system());
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(int port, String path) {
        try {
            return get(port, path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
