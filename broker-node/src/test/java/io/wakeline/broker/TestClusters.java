package io.wakeline.broker;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.node.BrokerConfig;
import io.wakeline.broker.node.DatabaseSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * A one-node cluster for tests: sharding, every message serialized as in production, and either the
 * in-memory journal or the node's real one.
 */
public final class TestClusters {
    private TestClusters() {
    }

    private static final Config ONE_NODE = ConfigFactory.parseString("""
            akka.actor.provider = cluster
            akka.remote.artery.canonical.hostname = 127.0.0.1
            akka.remote.artery.canonical.port = 0
            akka.cluster.jmx.multi-mbeans-in-same-jvm = on
            akka.actor.serialize-messages = on
            akka.actor.serialization-bindings { "io.wakeline.broker.CborSerializable" = jackson-cbor }
            akka.http.server.enable-http2 = on
            akka.loggers = ["akka.event.slf4j.Slf4jLogger"]
            akka.logging-filter = "akka.event.slf4j.Slf4jLoggingFilter"
            akka.loglevel = INFO
            wakeline.app-gateway.app-registry.pbkdf2-iterations = 1000
            """);

    /** In-memory journal. */
    public static Config config(Path dataDir, String overrides) {
        return ConfigFactory.parseString(overrides)
                .withFallback(ONE_NODE)
                .withFallback(ConfigFactory.parseMap(Map.of("wakeline.data-dir", dataDir.toString())))
                .withFallback(EventSourcedBehaviorTestKit.config())
                .withFallback(ConfigFactory.load());
    }

    /**
     * The node's real journal (akka-persistence-jdbc) on {@code database}, as {@link BrokerConfig} loads it,
     * with its schema created: what a broker node persists to.
     */
    public static Config journaledConfig(Path dataDir, TestDatabase database, String overrides) {
        Config config = BrokerConfig.load(ConfigFactory.parseString(overrides)
                .withFallback(ONE_NODE)
                .withFallback(ConfigFactory.parseMap(Map.of("wakeline.data-dir", dataDir.toString())))
                .withFallback(database.config()));
        DatabaseSchema.createIfMissing(config);
        return config;
    }

    /** Starts a test kit whose system has joined itself and is Up. */
    public static ActorTestKit startJoined(String name, Config config) {
        ActorTestKit testKit = ActorTestKit.create(name, config);
        joinSelf(testKit.system());
        return testKit;
    }

    /** How many members {@code system}'s node sees Up. */
    public static long upMembers(ActorSystem<?> system) {
        return StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
                .filter(member -> member.status() == MemberStatus.up()).count();
    }

    private static void joinSelf(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node did not come up");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
