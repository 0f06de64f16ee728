package io.wakeline.broker.node;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one broker node with the configuration from application.conf, system properties and environment. */
public final class Main {
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    static {
        // Before anything creates the common pool: with fewer than three cores its parallelism defaults to 1, and
        // CompletableFuture then runs every default-executor callback (all callbacks on stages from Akka's Java API)
        // on a new thread. Two workers keep them on pooled threads; call sites on hot paths name an executor anyway
        // (io.wakeline.broker.AkkaStages). An explicit -D setting wins.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM,
                    String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains(SchemaCommand.FLAG)) {
            createSchemaAndExit();
            return;
        }
        try {
            BrokerNode node = BrokerNode.start(BrokerConfig.load());
            log.info("Wakeline node up: app servers {} | devices tcp://{}:{} | trust {} | fleet secret {}",
                    node.appGatewayUrl(), node.deviceGatewayHost(), node.deviceGatewayPort(),
                    node.certificatePem(), node.fleetSecretSource());
        } catch (Exception e) {
            log.error("node failed to start", e);
            System.exit(1);
        }
    }

    private static void createSchemaAndExit() {
        try {
            SchemaCommand.run(BrokerConfig.load());
            log.info("schema created or already present");
            System.exit(0);
        } catch (Exception e) {
            log.error("schema creation failed", e);
            System.exit(1);
        }
    }
}
