package io.wakeline.broker.node;

import static io.wakeline.broker.node.TestNodeConfig.APP_A;
import static io.wakeline.broker.node.TestNodeConfig.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wakeline.broker.TestDatabase;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEvent.MessageFate;
import io.wakeline.broker.node.EventStreamClient.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An app's event log survives a node restart on each backend: the stream replays it with the same ids,
 * resumes after a remembered id, and the de-duplication window (in the snapshot) still drops re-published keys.
 */
class AppEventRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(PersistenceBackend.class)
    void eventLogSurvivesARestart(PersistenceBackend backend) throws Exception {
        int https = TestNodeConfig.freePort();
        int devicePort = TestNodeConfig.freePort();
        // snapshots every 5 entries (one per publish here), so the recovered window comes from a snapshot plus replayed
        // entries
        String hocon = "wakeline.app-events.retention.snapshot-every = 5";
        List<AppEvent> before = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            before.add(new AppEvent.MessageReceipt("d", "c", "m" + i, MessageFate.ACCEPTED, null, i));
        }
        try (TestDatabase database = TestDatabase.create(backend, "appevents")) {
            try (BrokerNode first = BrokerNode.start(TestNodeConfig.node(dataDir, https, devicePort, 0, database, hocon))) {
                for (AppEvent event : before) {
                    first.appEvents().publish(APP_A, List.of(event)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            }
            try (BrokerNode second = BrokerNode.start(TestNodeConfig.node(dataDir, https, devicePort, 0, database, hocon))) {
                // every key published again, as device entities retrying after the restart would, plus one new
                List<AppEvent> again = new ArrayList<>(before);
                again.add(new AppEvent.MessageReceipt("d", "c", "m13", MessageFate.ACCEPTED, null, 13));
                second.appEvents().publish(APP_A, again).toCompletableFuture().get(10, TimeUnit.SECONDS);

                AppServerClient client = new AppServerClient(second.appGatewayUrl(), second.certificatePem());
                String token = client.token(APP_A, SECRET_A);
                try (EventStreamClient stream = EventStreamClient.open(client.http(), second.appGatewayUrl(), token,
                        Optional.empty(), "")) {
                    List<Event> events = stream.take(13, WAIT);
                    // one entry per write: 12 before the restart, the 13th holds the one new event
                    assertEquals(LongStream.rangeClosed(1, 13).map(n -> n * 1000).boxed().toList(),
                            events.stream().map(Event::id).toList());
                    assertEquals(true, events.get(12).data().contains("\"m13\""));
                    // re-published keys recorded once: a marker published now is the next event, in the next entry
                    second.appEvents().publish(APP_A, List.of(new AppEvent.MessageReceipt("d", "c", "marker",
                            MessageFate.ACCEPTED, null, 14))).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    Event next = stream.next(WAIT);
                    assertEquals(14_000L, next.id());
                    assertEquals(true, next.data().contains("\"marker\""));
                }
                try (EventStreamClient resumed = EventStreamClient.open(client.http(), second.appGatewayUrl(), token,
                        Optional.of(11_000L), "")) {
                    assertEquals(List.of(12_000L, 13_000L, 14_000L), resumed.take(3, WAIT).stream().map(Event::id).toList());
                }
            }
        }
    }
}
