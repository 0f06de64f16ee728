package io.wakeline.broker.node;

import com.typesafe.config.Config;

/**
 * {@code wakeline-broker --create-schema-only}: creates the journal and snapshot tables and returns,
 * without starting an actor system, joining a cluster or binding a port (the k8s/schema Job runs it
 * before a first rollout). A node creates missing tables at start anyway; on PostgreSQL the DDL runs
 * under a lock, so nodes starting together take turns.
 */
final class SchemaCommand {
    static final String FLAG = "--create-schema-only";

    private SchemaCommand() {
    }

    static void run(Config config) throws Exception {
        DatabaseSchema.createIfMissing(config);
    }
}
