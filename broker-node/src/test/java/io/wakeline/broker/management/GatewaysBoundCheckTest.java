package io.wakeline.broker.management;

import static org.junit.jupiter.api.Assertions.assertFalse;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GatewaysBoundCheckTest {

    @Test
    void aNodeWhoseGatewaysAreNotBoundYetIsNotReady() throws Exception {
        ActorTestKit testKit = ActorTestKit.create("GatewaysBoundCheckTest",
                ConfigFactory.parseString("akka.actor.provider = local").withFallback(ConfigFactory.load()));
        try {
            GatewaysBoundCheck check = new GatewaysBoundCheck(Adapter.toClassic(testKit.system()));
            assertFalse(check.get().toCompletableFuture().get(1, TimeUnit.SECONDS));
        } finally {
            testKit.shutdownTestKit();
        }
    }
}
