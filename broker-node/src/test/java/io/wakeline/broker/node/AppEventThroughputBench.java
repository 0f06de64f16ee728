package io.wakeline.broker.node;

import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wakeline.broker.TestDatabase;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEvent.MessageFate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The app-event half of the guaranteed path on its own (no devices): receipts for one app published as device
 * entities would (three per message, 512 publishes outstanding by default: -Dwakeline.bench.outstanding) through the node's publisher, then read back
 * over {@code GET /events}. Prints receipts recorded per second and streamed per second. Not part of the
 * normal build: {@code mvn -pl broker-node -am test -Dtest=AppEventThroughputBench -Dwakeline.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false} (PostgreSQL with WAKELINE_TEST_PG_* set).
 */
@EnabledIfSystemProperty(named = "wakeline.bench", matches = "true")
class AppEventThroughputBench {
    private static final int MESSAGES = Integer.getInteger("wakeline.bench.messages", 20_000);
    private static final MessageFate[] FATES = {MessageFate.ACCEPTED, MessageFate.DELIVERED, MessageFate.ACKED};

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(PersistenceBackend.class)
    void receiptsRecordedAndStreamedPerSecond(PersistenceBackend backend) throws Exception {
        try (TestDatabase database = TestDatabase.create(backend, "eventbench");
             BrokerNode node = BrokerNode.start(TestNodeConfig.node(dataDir, TestNodeConfig.freePort(),
                     TestNodeConfig.freePort(), 0, database, "akka.actor.serialize-messages = off"))) {
            int events = MESSAGES * FATES.length;
            Semaphore outstanding = new Semaphore(Integer.getInteger("wakeline.bench.outstanding", 512));
            CompletableFuture<?>[] done = new CompletableFuture<?>[events];
            long start = System.nanoTime();
            int i = 0;
            for (MessageFate fate : FATES) {
                for (int m = 0; m < MESSAGES; m++) {
                    outstanding.acquire();
                    done[i++] = node.appEvents().publish(APP_A, List.of(new AppEvent.MessageReceipt(
                                    "device-" + (m % 1000), "cc-1", "msg-" + m, fate, null, System.currentTimeMillis())))
                            .toCompletableFuture().whenComplete((d, e) -> outstanding.release());
                }
            }
            CompletableFuture.allOf(done).get(5, TimeUnit.MINUTES);
            double recordSeconds = (System.nanoTime() - start) / 1e9;

            AppServerClient client = new AppServerClient(node.appGatewayUrl(), node.certificatePem());
            long readStart = System.nanoTime();
            try (EventStreamClient stream = EventStreamClient.open(client.http(), node.appGatewayUrl(),
                    client.token(APP_A, SECRET_A), Optional.empty(), "")) {
                assertEquals(events, stream.take(events, Duration.ofMinutes(5)).size());
            }
            double readSeconds = (System.nanoTime() - readStart) / 1e9;
            System.out.printf(Locale.ROOT, "BENCH app-events %s: %d receipts recorded in %.2f s = %.0f/s "
                            + "(%.0f messages/s at 3 receipts each); streamed in %.2f s = %.0f/s%n", backend, events,
                    recordSeconds, events / recordSeconds, MESSAGES / recordSeconds, readSeconds, events / readSeconds);
        }
    }
}
