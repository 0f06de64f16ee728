package io.wakeline.broker.node;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code wakeline-broker --create-schema-only}: creates the journal and snapshot tables and returns,
 * without joining a cluster or binding a port (the k8s/schema Job runs it before a first rollout, so
 * that nodes starting together do not race on the DDL). A node creates missing tables at start anyway.
 */
final class SchemaCommand {
    static final String FLAG = "--create-schema-only";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private SchemaCommand() {
    }

    static void run(Config config) throws Exception {
        Config local = ConfigFactory.parseString("""
                akka.actor.provider = local
                akka.coordinated-shutdown.exit-jvm = off
                """).withFallback(config);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), config.getString("wakeline.cluster-name"), local);
        try {
            DatabaseSchema.createIfMissing(system, TIMEOUT);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
