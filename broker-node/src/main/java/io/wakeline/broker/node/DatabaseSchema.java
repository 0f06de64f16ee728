package io.wakeline.broker.node;

import akka.actor.typed.ActorSystem;
import akka.persistence.jdbc.testkit.javadsl.SchemaUtils;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Creates the journal and snapshot tables when missing (akka-stack.md 2.3: the plugin's script is
 * idempotent when re-run; errors on existing objects are logged at DEBUG and skipped). Runs before
 * sharding starts so no entity can recover against a missing table.
 */
final class DatabaseSchema {
    private DatabaseSchema() {
    }

    static void createIfMissing(ActorSystem<?> system, Duration timeout) throws Exception {
        SchemaUtils.createIfNotExists(system).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
