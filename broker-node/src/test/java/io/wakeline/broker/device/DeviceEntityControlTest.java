package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.InMemoryAppEventPublisher;
import io.wakeline.broker.channel.ChannelToken;
import io.wakeline.broker.channel.ControlChannelToken;
import io.wakeline.broker.channel.WebPushSubscriptionToken;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.device.control.ControlEvent;
import io.wakeline.broker.device.control.MessageFate;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.ControlChannelTriggerResourceType;
import io.wakeline.broker.device.policy.ControlChannelTriggerStatus;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.LockScreenConsent;
import io.wakeline.broker.device.policy.ManifestBackgroundTask;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.gateway.device.LinkAddress;
import io.wakeline.broker.gateway.device.LinkRegistry;
import io.wakeline.protocol.v1.NotificationType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The device entity's guaranteed control-channel path: journal, window, acks, redelivery, TTL, keep-alive. */
class DeviceEntityControlTest {
    private static final String APP = "ms-app://S-1-15-2-600";
    private static final ControlChannelSettings CONTROL = ControlChannelSettings.DEFAULTS
            .withWindow(3).withBacklog(4).withKeepAliveUnit(Duration.ofMillis(20))
            .withTickInterval(Duration.ofMillis(20)).withAckBatch(2, Duration.ofSeconds(30));

    private static ActorTestKit testKit;
    private TestProbe<LinkRegistry.Command> link;
    private InMemoryAppEventPublisher appEvents;
    private EventSourcedBehaviorTestKit<DeviceEntity.Command, DeviceEntity.Event, DeviceEntity.State> entity;

    @BeforeAll
    static void startTestKit() {
        testKit = ActorTestKit.create(ConfigFactory.parseString(
                        "akka.actor.serialization-bindings { \"io.wakeline.broker.CborSerializable\" = jackson-cbor }")
                .withFallback(EventSourcedBehaviorTestKit.config()));
    }

    @AfterAll
    static void stopTestKit() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void freshEntity() {
        TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
        DeviceEntitySettings settings = new DeviceEntitySettings(Duration.ofMinutes(5), 100, Duration.ofDays(30),
                Duration.ofSeconds(3)).withControlChannels(CONTROL);
        appEvents = new InMemoryAppEventPublisher(1000);
        entity = EventSourcedBehaviorTestKit.create(testKit.system(),
                DeviceEntity.create("dev-c", shard.ref(), settings, new PushEndpoints() {
                    @Override
                    public String channelUri(ChannelToken token) {
                        return "https://broker.test/w/" + token.channelId();
                    }

                    @Override
                    public String webPushEndpoint(WebPushSubscriptionToken token) {
                        return "";
                    }

                    @Override
                    public String controlChannelUri(ControlChannelToken token) {
                        return "https://broker.test/cc/" + token.controlChannelId();
                    }
                }, appEvents));
        entity.clear();
        link = testKit.createTestProbe();
    }

    @Test
    void aCreatedChannelAnswersWithItsUri() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        DeviceEntity.ControlChannelAnswer answer = createChannel("chat2", ControlChannelTriggerResourceType.RequestSoftwareSlot);
        assertEquals("https://broker.test/cc/chat2", answer.controlChannelUri());
    }

    @Test
    void theWindowBoundsUnackedMessagesAndAcksAreCumulativeAndPersistedInBatches() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        for (int i = 1; i <= 4; i++) {
            send("chat", "", "m" + i);
        }
        assertEquals(List.of(1L, 2L, 3L), sequences(receive(link, 3)), "window of 3");
        expectNoDelivery(link, 150);

        entity.runCommand(new DeviceEntity.ControlAckReceived(APP, "chat", 2, System.currentTimeMillis()));
        assertEquals(List.of(4L), sequences(receive(link, 1)), "acking 1 and 2 at once frees two places");
        assertEquals(0, entity.getState().control().queue(APP, "chat").orElseThrow().ackedUpTo(),
                "one ack frame is not persisted yet (batch of 2)");
        entity.runCommand(new DeviceEntity.ControlAckReceived(APP, "chat", 4, System.currentTimeMillis()));
        // read from the journal: the testkit's per-command event list misses writes made by a later internal command
        assertEquals(1, akka.persistence.testkit.javadsl.PersistenceTestKit.create(testKit.system())
                .persistedInStorage("Device|dev-c").stream().flatMap(e -> DeviceEntity.controlChangesOf(e).stream())
                        .filter(c -> c instanceof ControlEvent.MessagesAcked).count(),
                "the second ack frame persists the batch as one event");
        assertEquals(4, entity.getState().control().queue(APP, "chat").orElseThrow().ackedUpTo());
        assertTrue(entity.getState().control().queue(APP, "chat").orElseThrow().pending().isEmpty());
    }

    @Test
    void acksNotYetPersistedRideWithTheNextSendsWrite() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        send("chat", "", "m1");
        send("chat", "", "m2");
        receive(link, 2);
        entity.runCommand(new DeviceEntity.ControlAckReceived(APP, "chat", 2, System.currentTimeMillis()));
        assertEquals(0, entity.getState().control().queue(APP, "chat").orElseThrow().ackedUpTo(),
                "one ack frame waits for its batch (of 2) or its interval (30 s)");

        send("chat", "", "m3");

        List<Object> journaled = akka.persistence.testkit.javadsl.PersistenceTestKit.create(testKit.system())
                .persistedInStorage("Device|dev-c");
        List<ControlEvent> lastWrite = DeviceEntity.controlChangesOf(journaled.get(journaled.size() - 1));
        assertTrue(lastWrite.stream().anyMatch(c -> c instanceof ControlEvent.MessagesAcked a && a.upToSeq() == 2)
                && lastWrite.stream().anyMatch(c -> c instanceof ControlEvent.MessageEnqueued e && e.seq() == 3),
                "the ack is journaled in the same event (row) as the send: " + lastWrite);
        assertEquals(2, entity.getState().control().queue(APP, "chat").orElseThrow().ackedUpTo());
        assertEquals(List.of(3L), entity.getState().control().queue(APP, "chat").orElseThrow().pending().stream()
                .map(m -> m.seq()).toList());
        assertEquals(MessageFate.State.ACKED, entity.getState().control().queue(APP, "chat").orElseThrow().finished()
                .get(1).state());
    }

    @Test
    void aFailedJournalWriteRestartsTheEntityWhichKeepsServingItsLink() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        send("chat", "", "m1");
        assertEquals(List.of(1L), sequences(receive(link, 1)));

        entity.persistenceTestKit().failNextPersisted("Device|dev-c", new RuntimeException("disk full"));
        TestProbe<DeviceEntity.ControlSendReply> lost = testKit.createTestProbe();
        entity.runCommand(new DeviceEntity.EnqueueControlMessage(APP, "chat", "", "m2".getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis(), Long.MAX_VALUE, lost.ref()));
        lost.expectNoMessage(Duration.ofMillis(500)); // not journaled, so never accepted: the sender's ask times out

        // restarted (backoff from 200 ms) and recovered from the journal: the next send is accepted and reaches the
        // same link without the device attaching again
        assertEquals(2, send("chat", "", "m3").seq(), "m2 was never journaled, so m3 follows m1");
        List<LinkRegistry.Deliver> delivered = receive(link, 1);
        assertEquals(List.of(2L), sequences(delivered));
        assertEquals("m3", new String(delivered.get(0).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void aNewLinkGetsEveryUnackedMessageAgainInOrder() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        send("chat", "", "a");
        send("chat", "", "b");
        send("chat", "", "c");
        receive(link, 3);
        entity.runCommand(new DeviceEntity.ControlAckReceived(APP, "chat", 1, System.currentTimeMillis()));

        TestProbe<LinkRegistry.Command> newer = testKit.createTestProbe();
        attach(newer, 2, DeviceCapabilities.NONE);
        link.fishForMessage(Duration.ofSeconds(3), m -> m instanceof LinkRegistry.Replaced
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
        List<LinkRegistry.Deliver> again = receive(newer, 2);
        assertEquals(List.of(2L, 3L), sequences(again), "redelivered after the acked one, in order");
        assertEquals(List.of("b", "c"), again.stream().map(d -> new String(d.payload(), StandardCharsets.UTF_8)).toList());
    }

    @Test
    void anExpiredMessageIsNeverDeliveredAndIsReportedExpired() throws Exception {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        entity.runCommand(new DeviceEntity.ReportPower(PowerState.Sleep, null, null, System.currentTimeMillis()));
        long now = System.currentTimeMillis();
        DeviceEntity.ControlSendReply reply = entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(
                APP, "chat", "", "short".getBytes(StandardCharsets.UTF_8), now, now + 100, r)).reply();
        awaitUntil(() -> entity.getState().control().fate(APP, "chat", reply.messageId())
                .map(f -> f.state() == MessageFate.State.EXPIRED).orElse(false));
        entity.runCommand(new DeviceEntity.ReportPower(PowerState.Active, null, null, System.currentTimeMillis()));
        expectNoDelivery(link, 200);
        awaitUntil(() -> appEvents.events(APP).stream().anyMatch(e -> e instanceof AppEvent.MessageReceipt r
                && r.messageId().equals(reply.messageId()) && r.fate() == AppEvent.MessageFate.EXPIRED));
    }

    @Test
    void closingTheChannelRejectsItsUnackedMessagesAndRefusesFurtherSends() throws Exception {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        entity.runCommand(new DeviceEntity.ReportPower(PowerState.Sleep, null, null, System.currentTimeMillis()));
        DeviceEntity.ControlSendReply held = send("chat", "", "never delivered");

        DeviceEntity.ControlChannelAnswer closed = entity.<DeviceEntity.ControlChannelAnswer>runCommand(
                r -> new DeviceEntity.CloseControlChannel(APP, "chat", r)).reply();
        assertTrue(closed.closed(), closed::toString);

        awaitUntil(() -> entity.getState().control().fate(APP, "chat", held.messageId())
                .map(f -> f.state() == MessageFate.State.REJECTED).orElse(false));
        awaitUntil(() -> appEvents.events(APP).stream().anyMatch(e -> e instanceof AppEvent.MessageReceipt r
                && r.messageId().equals(held.messageId()) && r.fate() == AppEvent.MessageFate.REJECTED));
        var refused = entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP,
                "chat", "", new byte[] {1}, System.currentTimeMillis(), Long.MAX_VALUE, r));
        assertEquals(DeviceEntity.ControlSendResult.CHANNEL_CLOSED, refused.reply().result());
        assertTrue(refused.events().isEmpty(), "nothing journaled");
        entity.runCommand(new DeviceEntity.ReportPower(PowerState.Active, null, null, System.currentTimeMillis()));
        expectNoDelivery(link, 200);

        // the app creates the channel again: sends are accepted and delivered again
        assertEquals(ControlChannelTriggerStatus.SoftwareSlotAllocated,
                createChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot).status());
        send("chat", "", "after reopening");
        assertEquals("after reopening", new String(receive(link, 1).get(0).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void aFullBacklogRefusesTheSendWithoutStoringIt() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        for (int i = 0; i < 4; i++) {
            send("chat", "", "m" + i);
        }
        var refused = entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP,
                "chat", "", new byte[] {1}, System.currentTimeMillis(), Long.MAX_VALUE, r));
        assertEquals(DeviceEntity.ControlSendResult.BACKLOG_FULL, refused.reply().result());
        assertTrue(refused.events().isEmpty(), "nothing journaled");
    }

    @Test
    void aRetryWithTheSameClientMessageIdIsTheSameMessage() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        DeviceEntity.ControlSendReply first = send("chat", "order-7", "pay");
        var retry = entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP,
                "chat", "order-7", "pay".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), Long.MAX_VALUE, r));
        assertEquals(DeviceEntity.ControlSendResult.DUPLICATE, retry.reply().result());
        assertEquals(first.messageId(), retry.reply().messageId());
        assertTrue(retry.events().isEmpty());
        assertEquals(1, receive(link, 1).size());
        expectNoDelivery(link, 150);
    }

    @Test
    void aChannelWithoutKeepAliveGoesStaleAndTheAppServerIsTold() throws Exception {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        // 15 "minutes" of 20 ms: stale after 300 ms without a frame on the channel
        awaitUntil(() -> states().contains(AppEvent.ChannelState.STALE));
        entity.runCommand(new DeviceEntity.ControlKeepAliveReceived(APP, "chat", System.currentTimeMillis()));
        awaitUntil(() -> states().lastIndexOf(AppEvent.ChannelState.ACTIVE) > states().indexOf(AppEvent.ChannelState.STALE));
    }

    @Test
    void upstreamMessagesReachTheAppServer() throws Exception {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        entity.runCommand(new DeviceEntity.ControlUpstreamReceived(APP, "chat", 9, "up".getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis()));
        awaitUntil(() -> appEvents.events(APP).stream().anyMatch(e -> e instanceof AppEvent.UpstreamMessage u
                && u.upstreamId() == 9 && new String(u.payload(), StandardCharsets.UTF_8).equals("up")));
    }

    @Test
    void softwareSlotMessagesWaitDuringConnectedStandbyAndFlowOnWake() {
        readyChannel("sw", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.CONNECTED_STANDBY);
        assertEquals(ControlChannelTriggerStatus.HardwareSlotAllocated,
                createChannel("hw", ControlChannelTriggerResourceType.RequestHardwareSlot).status());
        entity.runCommand(new DeviceEntity.ReportPower(PowerState.ConnectedStandby, null, null, System.currentTimeMillis()));
        send("sw", "", "held");
        send("hw", "", "through");
        List<LinkRegistry.Deliver> inStandby = receive(link, 1);
        assertEquals("hw", inStandby.get(0).controlChannelId(), "a hardware slot delivers in connected standby");
        expectNoDelivery(link, 200);

        // waking resets software slots (wns-spec 7.9); the app creates its channel again under the same id
        entity.runCommand(new DeviceEntity.ReportPower(PowerState.Active, null, null, System.currentTimeMillis()));
        assertEquals(ControlChannelTriggerStatus.SoftwareSlotAllocated,
                createChannel("sw", ControlChannelTriggerResourceType.RequestSoftwareSlot).status());
        List<LinkRegistry.Deliver> onWake = receive(link, 1);
        assertEquals("sw", onWake.get(0).controlChannelId());
        assertEquals("held", new String(onWake.get(0).payload(), StandardCharsets.UTF_8));
        assertEquals(1, onWake.get(0).sequence(), "the queue continued across the reset");
    }

    @Test
    void aSuspendedAppIsWokenByABackgroundTaskChargedToItsBudget() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Suspended));
        var first = entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP, "chat",
                "", "wake".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), Long.MAX_VALUE, r));
        assertEquals(DeviceEntity.ControlSendResult.ACCEPTED, first.reply().result());
        LinkRegistry.Deliver woken = receive(link, 1).get(0);
        assertEquals(io.wakeline.protocol.v1.RawDelivery.BACKGROUND_TASK, woken.rawDelivery());
        assertTrue(entity.getState().policy().apps().runningTask(APP).isPresent(), "the task start was persisted");
        send("chat", "", "later");
        expectNoDelivery(link, 200); // one background task at a time (wns-spec 5.10)
        entity.runCommand(new DeviceEntity.ReportBackgroundTask(APP, io.wakeline.broker.device.policy.TriggerKind.ControlChannelTrigger,
                10, 0, System.currentTimeMillis()));
        assertEquals("later", new String(receive(link, 1).get(0).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void acceptedMessagesAndTheirReceiptsSurviveARestart() throws Exception {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        DeviceEntity.ControlSendReply sent = send("chat", "", "durable");
        entity.restart();
        MessageFate fate = entity.getState().control().fate(APP, "chat", sent.messageId()).orElseThrow();
        assertEquals(MessageFate.State.ACCEPTED, fate.state());
        awaitUntil(() -> appEvents.events(APP).stream().anyMatch(e -> e instanceof AppEvent.MessageReceipt r
                && r.messageId().equals(sent.messageId()) && r.fate() == AppEvent.MessageFate.ACCEPTED));
        awaitUntil(() -> entity.getState().control().receipts().isEmpty());
        var status = entity.<DeviceEntity.ControlMessageStatus>runCommand(r -> new DeviceEntity.GetControlMessage(APP, "chat",
                sent.messageId(), r)).reply();
        assertNotNull(status.fate());
        assertFalse(entity.getState().control().queue(APP, "chat").orElseThrow().pending().isEmpty());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private List<AppEvent.ChannelState> states() {
        List<AppEvent.ChannelState> states = new ArrayList<>();
        appEvents.events(APP).stream().filter(e -> e instanceof AppEvent.ChannelStateChanged)
                .forEach(e -> states.add(((AppEvent.ChannelStateChanged) e).state()));
        return states;
    }

    private void readyChannel(String id, ControlChannelTriggerResourceType type, DeviceCapabilities capabilities) {
        attach(link, 1, capabilities);
        entity.<DeviceEntity.LockScreenAnswer>runCommand(r -> new DeviceEntity.RequestLockScreenAccess(APP,
                EnumSet.of(ManifestBackgroundTask.ControlChannel), r));
        entity.<DeviceEntity.LockScreenAnswer>runCommand(r -> new DeviceEntity.AnswerLockScreenConsent(APP, LockScreenConsent.Allow, r));
        entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Foreground));
        DeviceEntity.ControlChannelAnswer answer = createChannel(id, type);
        assertTrue(answer.status() == ControlChannelTriggerStatus.SoftwareSlotAllocated
                || answer.status() == ControlChannelTriggerStatus.HardwareSlotAllocated, answer::toString);
    }

    private void attach(TestProbe<LinkRegistry.Command> probe, long linkId, DeviceCapabilities capabilities) {
        entity.<DeviceEntity.Attached>runCommand(r -> new DeviceEntity.Attach(new LinkAddress(probe.ref(), linkId),
                capabilities, System.currentTimeMillis(), r));
    }

    private DeviceEntity.ControlChannelAnswer createChannel(String id, ControlChannelTriggerResourceType type) {
        return entity.<DeviceEntity.ControlChannelAnswer>runCommand(r -> new DeviceEntity.CreateControlChannel(APP, id, 15, type, r)).reply();
    }

    private DeviceEntity.ControlSendReply send(String channel, String clientId, String body) {
        var result = entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP, channel,
                clientId, body.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), Long.MAX_VALUE, r));
        assertEquals(DeviceEntity.ControlSendResult.ACCEPTED, result.reply().result());
        // the send is written by the PersistSends it queues (group commit), so the events land after this command's
        // own step; the state, changed only by persisted events, already holds the message when the reply arrives
        assertTrue(entity.getState().control().fate(APP, channel, result.reply().messageId()).isPresent(),
                "journaled before the reply");
        return result.reply();
    }

    /** The next {@code n} control deliveries on {@code probe}, skipping system triggers. */
    private static List<LinkRegistry.Deliver> receive(TestProbe<LinkRegistry.Command> probe, int n) {
        List<LinkRegistry.Deliver> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (out.size() < n) {
            LinkRegistry.Command m = probe.receiveMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (m instanceof LinkRegistry.Deliver d && d.type() == NotificationType.CONTROL) {
                out.add(d);
            }
        }
        return out;
    }

    private static void expectNoDelivery(TestProbe<LinkRegistry.Command> probe, long millis) {
        long deadline = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                LinkRegistry.Command m = probe.receiveMessage(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                assertFalse(m instanceof LinkRegistry.Deliver d && d.type() == NotificationType.CONTROL, () -> "unexpected " + m);
            } catch (AssertionError timeout) {
                if (timeout.getMessage() != null && timeout.getMessage().startsWith("unexpected")) {
                    throw timeout;
                }
                return;
            }
        }
    }

    private static List<Long> sequences(List<LinkRegistry.Deliver> deliveries) {
        return deliveries.stream().map(LinkRegistry.Deliver::sequence).toList();
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
