package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.testkit.JournalOperation;
import akka.persistence.testkit.ProcessingPolicy;
import akka.persistence.testkit.ProcessingResult;
import akka.persistence.testkit.ProcessingSuccess;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.ManualClock;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEventLog;
import io.wakeline.broker.app.events.AppEventsSettings;
import io.wakeline.broker.app.events.InMemoryAppEventPublisher;
import io.wakeline.broker.device.control.ControlEvent;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import io.wakeline.broker.device.shell.DeviceEntityShell;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on the guaranteed path: sends to one device, and event records to one app's log, that arrive together
 * or while a write is in flight are journaled as one write each; every sender is answered after its write.
 */
class DeviceEntityControlGroupCommitTest {
    private static final String APP = "ms-app://S-1-15-2-601";
    private static final int SENDS = 20;

    private static ActorTestKit testKit;
    private static PersistenceTestKit journal;
    /** Per persistence id, the size of every write (one AtomicWrite each). */
    private static final List<String> writes = new CopyOnWriteArrayList<>();
    /**
     * Journal writes wait until the test has sent everything, so "arrive together" does not depend on the test thread
     * outrunning the first write (it did not on a loaded CI machine).
     */
    private static volatile CountDownLatch sent = new CountDownLatch(0);

    @BeforeAll
    static void startTestKit() {
        testKit = ActorTestKit.create(ConfigFactory.parseString("""
                        akka.actor.serialize-messages = on
                        akka.actor.serialization-bindings { "io.wakeline.broker.CborSerializable" = jackson-cbor }
                        """).withFallback(EventSourcedBehaviorTestKit.config()));
        journal = PersistenceTestKit.create(testKit.system());
        journal.withPolicy(new ProcessingPolicy<JournalOperation>() {
            @Override
            public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
                if (operation instanceof WriteEvents write) {
                    writes.add(persistenceId + "=" + write.getBatch().size());
                    awaitSent();
                }
                return ProcessingSuccess.getInstance();
            }
        });
    }

    private static void awaitSent() {
        try {
            if (!sent.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test did not finish sending within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopTestKit() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void clearWrites() {
        journal.clearAll();
        writes.clear();
        sent = new CountDownLatch(1);
    }

    @Test
    void sendsThatArriveTogetherAreJournaledInFewWritesAndEachAnsweredInOrder() {
        TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
        DeviceEntitySettings settings = DeviceEntitySettings.DEFAULTS.withSnapshotEvery(1000);
        ActorRef<DeviceEntity.Command> entity = testKit.spawn(DeviceEntityShell.create("dev-gc", shard.ref(), settings,
                DeviceEntityFixture.services(ManualClock.startingNow(), new InMemoryAppEventPublisher(1000),
                        (link, message) -> { })));
        TestProbe<DeviceEntity.ControlSendReply> replies = testKit.createTestProbe();
        for (int i = 0; i < SENDS; i++) {
            entity.tell(new DeviceEntity.EnqueueControlMessage(APP, "chat", i == SENDS - 1 ? "order-0" : i == 0 ? "order-0" : "",
                    ("m" + i).getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), Long.MAX_VALUE, replies.ref()));
        }
        sent.countDown();
        List<DeviceEntity.ControlSendReply> answers = replies.receiveSeveralMessages(SENDS);
        for (int i = 0; i < SENDS - 1; i++) {
            assertEquals(DeviceEntity.ControlSendResult.ACCEPTED, answers.get(i).result());
            assertEquals(i + 1, answers.get(i).seq(), "sequence in arrival order");
        }
        assertEquals(DeviceEntity.ControlSendResult.DUPLICATE, answers.get(SENDS - 1).result());
        assertEquals(answers.get(0).messageId(), answers.get(SENDS - 1).messageId(), "repeat of the first client id");

        List<Object> journaled = journal.persistedInStorage("Device|dev-gc");
        assertEquals(SENDS - 1, journaled.stream().flatMap(e -> DeviceEntity.controlChangesOf(e).stream())
                .filter(c -> c instanceof ControlEvent.MessageEnqueued).count(), "every accepted send is journaled");
        List<String> deviceWrites = writes.stream().filter(w -> w.startsWith("Device|dev-gc=")).toList();
        assertTrue(deviceWrites.size() <= 2, "one write for the sends queued together, one for any that came during it: "
                + deviceWrites);
        assertTrue(deviceWrites.stream().allMatch(w -> w.endsWith("=1")), "each write is one journal event (one row): "
                + deviceWrites);
    }

    @Test
    void recordsThatArriveTogetherAreWrittenInFewWritesAndDuplicatesAcrossThemAreDropped() {
        AppEventsSettings settings = new AppEventsSettings(500, Duration.ofMillis(5), Duration.ofSeconds(5), 1000,
                1000, 2, false, "akka.persistence.testkit.query", Duration.ofSeconds(15), 4);
        ActorRef<AppEventLog.Command> log = testKit.spawn(AppEventLog.create(APP, settings));
        TestProbe<AppEventLog.Recorded> replies = testKit.createTestProbe();
        for (int i = 0; i < SENDS; i++) {
            AppEvent repeated = receipt("x"); // in every record: recorded once
            log.tell(new AppEventLog.Record(List.of(repeated, receipt("m" + i)), replies.ref()));
        }
        sent.countDown();
        List<AppEventLog.Recorded> answers = replies.receiveSeveralMessages(SENDS);
        assertEquals(new AppEventLog.Recorded(2, 0), answers.get(0));
        for (int i = 1; i < SENDS; i++) {
            assertEquals(new AppEventLog.Recorded(1, 1), answers.get(i), "record " + i);
        }
        List<Object> entries = journal.persistedInStorage(AppEventLog.persistenceIdOf(APP).id());
        assertEquals(SENDS + 1, entries.stream().mapToInt(e -> AppEventLog.eventsOf(e).size()).sum());
        assertEquals(logWritesOf(APP).size(), entries.size(), "one journal entry per write");
        List<String> logWrites = logWritesOf(APP);
        assertTrue(logWrites.size() <= 2, "records queued together go out as one write: " + logWrites);
    }

    private static List<String> logWritesOf(String app) {
        return writes.stream().filter(w -> w.startsWith(AppEventLog.persistenceIdOf(app).id() + "=")).toList();
    }

    private static AppEvent receipt(String messageId) {
        return new AppEvent.MessageReceipt("dev-1", "chat", messageId, AppEvent.MessageFate.ACCEPTED, "", 1L);
    }
}
