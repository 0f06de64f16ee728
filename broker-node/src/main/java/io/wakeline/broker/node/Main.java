package io.wakeline.broker.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one broker node with the configuration from application.conf, system properties and environment. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
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
}
