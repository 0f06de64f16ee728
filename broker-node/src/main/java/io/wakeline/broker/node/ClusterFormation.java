package io.wakeline.broker.node;

import akka.actor.Address;
import akka.actor.AddressFromURIString;
import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.JoinSeedNodes;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node finds its cluster ({@code wakeline.cluster.formation}, DESIGN.md "Cluster"). Akka
 * Management starts first in every mode: it serves /alive and /ready, and cluster bootstrap's contact
 * points talk to it (akka-stack.md §7.1 gives the order). Joining itself completes later; the node's
 * readiness turns true once it is Up and its gateways are bound.
 */
public final class ClusterFormation {
    private static final Logger log = LoggerFactory.getLogger(ClusterFormation.class);
    private static final long MANAGEMENT_BIND_TIMEOUT_SECONDS = 30;

    /** The values of {@code wakeline.cluster.formation}. */
    public enum Mode {
        SELF("self"),
        SEED_NODES("seed-nodes"),
        KUBERNETES_API("kubernetes-api");

        private final String configValue;

        Mode(String configValue) {
            this.configValue = configValue;
        }

        public static Mode fromConfig(Config config) {
            String value = config.getString("wakeline.cluster.formation").trim();
            return Arrays.stream(values()).filter(mode -> mode.configValue.equals(value)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("wakeline.cluster.formation must be one of "
                            + Arrays.stream(values()).map(mode -> mode.configValue).toList() + ", got \"" + value + "\""));
        }
    }

    private ClusterFormation() {
    }

    /** Starts Akka Management, waits until its endpoint is bound, then starts joining as configured. */
    static void start(ActorSystem<?> system, Config config) throws Exception {
        Mode mode = Mode.fromConfig(config);
        List<Address> seedNodes = seedNodes(config, system.name());
        boolean akkaSeedNodes = !config.getStringList("akka.cluster.seed-nodes").isEmpty();
        checkSeedNodes(mode, seedNodes, akkaSeedNodes);

        var management = AkkaManagement.get(system).start().toCompletableFuture()
                .get(MANAGEMENT_BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        log.info("cluster formation={} management={}", mode.configValue, management);

        Cluster cluster = Cluster.get(system);
        switch (mode) {
            // configured akka.cluster.seed-nodes are joined by Akka itself
            case SELF -> {
                if (!akkaSeedNodes) {
                    cluster.manager().tell(Join.create(cluster.selfMember().address()));
                }
            }
            case SEED_NODES -> {
                if (!seedNodes.isEmpty()) {
                    cluster.manager().tell(new JoinSeedNodes(seedNodes));
                }
            }
            case KUBERNETES_API -> ClusterBootstrap.get(system).start();
        }
    }

    private static void checkSeedNodes(Mode mode, List<Address> seedNodes, boolean akkaSeedNodes) {
        if (!seedNodes.isEmpty() && mode != Mode.SEED_NODES) {
            // a node meant to join others must not quietly form a cluster of its own
            throw new IllegalArgumentException("wakeline.cluster.seed-nodes (WAKELINE_SEED_NODES) is set but "
                    + "wakeline.cluster.formation is " + mode.configValue + "; use formation seed-nodes");
        }
        if (!seedNodes.isEmpty() && akkaSeedNodes) {
            throw new IllegalArgumentException("set wakeline.cluster.seed-nodes or akka.cluster.seed-nodes, not both");
        }
        if (mode == Mode.SEED_NODES && seedNodes.isEmpty() && !akkaSeedNodes) {
            throw new IllegalArgumentException("formation seed-nodes needs wakeline.cluster.seed-nodes (WAKELINE_SEED_NODES)");
        }
        if (mode == Mode.KUBERNETES_API && akkaSeedNodes) {
            // ClusterBootstrap.start would only log that it bails out
            throw new IllegalArgumentException("formation kubernetes-api discovers its peers: leave akka.cluster.seed-nodes empty");
        }
    }

    /** Parses {@code wakeline.cluster.seed-nodes}; every address must name this node's actor system. */
    static List<Address> seedNodes(Config config, String systemName) {
        return Arrays.stream(config.getString("wakeline.cluster.seed-nodes").split(","))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .map(entry -> parseSeedNode(entry, systemName))
                .toList();
    }

    private static Address parseSeedNode(String entry, String systemName) {
        Address address;
        try {
            address = AddressFromURIString.parse(entry);
        } catch (Exception e) {
            throw new IllegalArgumentException("wakeline.cluster.seed-nodes: \"" + entry
                    + "\" is not an address like akka://" + systemName + "@host:25520");
        }
        if (!address.system().equals(systemName) || address.host().isEmpty() || address.port().isEmpty()) {
            throw new IllegalArgumentException("wakeline.cluster.seed-nodes: \"" + entry
                    + "\" must be akka://" + systemName + "@host:port (this node's cluster name)");
        }
        return address;
    }
}
