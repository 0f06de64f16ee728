package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.device.DeviceEntityFixture.Link;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.device.control.ControlEvent;
import io.wakeline.broker.device.control.MessageFate;
import io.wakeline.broker.device.link.DeliveryMode;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.ControlChannelTriggerResourceType;
import io.wakeline.broker.device.policy.ControlChannelTriggerStatus;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.LockScreenConsent;
import io.wakeline.broker.device.policy.ManifestBackgroundTask;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.policy.TriggerKind;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
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
    /** 15 keep-alive "minutes" of 20 ms: a channel goes stale after 300 ms without a frame on it. */
    private static final Duration KEEP_ALIVE = Duration.ofMillis(15 * 20);
    static final ControlChannelSettings CONTROL = ControlChannelSettings.DEFAULTS
            .withWindow(3).withBacklog(4).withKeepAliveUnit(Duration.ofMillis(20))
            .withTickInterval(Duration.ofMillis(20)).withAckBatch(2, Duration.ofSeconds(30));

    private static ActorTestKit testKit;
    private DeviceEntityFixture device;
    private Link link;

    @BeforeAll
    static void startTestKit() {
        testKit = DeviceEntityFixture.manualTimeTestKit();
    }

    @AfterAll
    static void stopTestKit() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void freshEntity() {
        device = new DeviceEntityFixture(testKit, "dev-c", DeviceEntitySettings.DEFAULTS.withControlChannels(CONTROL));
        link = device.link(1);
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
        assertEquals(List.of(1L, 2L, 3L), sequences(link.control(3)), "window of 3");
        device.expectNoMoreControl(link);

        device.entity.runCommand(new DeviceEntity.ControlAckReceived(APP, "chat", 2, device.now()));
        assertEquals(List.of(4L), sequences(link.control(1)), "acking 1 and 2 at once frees two places");
        assertEquals(0, device.entity.getState().control().queue(APP, "chat").orElseThrow().ackedUpTo(),
                "one ack frame is not persisted yet (batch of 2)");
        device.entity.runCommand(new DeviceEntity.ControlAckReceived(APP, "chat", 4, device.now()));
        // read from the journal: the testkit's per-command event list misses writes made by a later internal command
        assertEquals(1, journaled().stream().flatMap(e -> DeviceEntity.controlChangesOf(e).stream())
                        .filter(c -> c instanceof ControlEvent.MessagesAcked).count(),
                "the second ack frame persists the batch as one event");
        assertEquals(4, device.entity.getState().control().queue(APP, "chat").orElseThrow().ackedUpTo());
        assertTrue(device.entity.getState().control().queue(APP, "chat").orElseThrow().pending().isEmpty());
    }

    @Test
    void acksNotYetPersistedRideWithTheNextSendsWrite() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        send("chat", "", "m1");
        send("chat", "", "m2");
        link.control(2);
        device.entity.runCommand(new DeviceEntity.ControlAckReceived(APP, "chat", 2, device.now()));
        assertEquals(0, device.entity.getState().control().queue(APP, "chat").orElseThrow().ackedUpTo(),
                "one ack frame waits for its batch (of 2) or its interval (30 s)");

        send("chat", "", "m3");

        List<Object> journaled = journaled();
        List<ControlEvent> lastWrite = DeviceEntity.controlChangesOf(journaled.get(journaled.size() - 1));
        assertTrue(lastWrite.stream().anyMatch(c -> c instanceof ControlEvent.MessagesAcked a && a.upToSeq() == 2)
                && lastWrite.stream().anyMatch(c -> c instanceof ControlEvent.MessageEnqueued e && e.seq() == 3),
                "the ack is journaled in the same event (row) as the send: " + lastWrite);
        assertEquals(2, device.entity.getState().control().queue(APP, "chat").orElseThrow().ackedUpTo());
        assertEquals(List.of(3L), device.entity.getState().control().queue(APP, "chat").orElseThrow().pending().stream()
                .map(m -> m.seq()).toList());
        assertEquals(MessageFate.State.ACKED, device.entity.getState().control().queue(APP, "chat").orElseThrow().finished()
                .get(1).state());
    }

    @Test
    void aNewLinkGetsEveryUnackedMessageAgainInOrder() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        send("chat", "", "a");
        send("chat", "", "b");
        send("chat", "", "c");
        link.control(3);
        device.entity.runCommand(new DeviceEntity.ControlAckReceived(APP, "chat", 1, device.now()));

        Link newer = device.link(2);
        device.attach(newer, DeviceCapabilities.NONE);
        while (!(link.next().message() instanceof LinkMessage.Replaced)) {
            // the old link may still see system triggers before it is told to go
        }
        List<LinkMessage.DeliverControl> again = newer.control(2);
        assertEquals(List.of(2L, 3L), sequences(again), "redelivered after the acked one, in order");
        assertEquals(List.of("b", "c"), again.stream().map(d -> new String(d.payload(), StandardCharsets.UTF_8)).toList());
    }

    @Test
    void anExpiredMessageIsNeverDeliveredAndIsReportedExpired() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        device.entity.runCommand(new DeviceEntity.ReportPower(PowerState.Sleep, null, null, device.now()));
        long now = device.now();
        DeviceEntity.ControlSendReply reply = device.entity.<DeviceEntity.ControlSendReply>runCommand(r ->
                new DeviceEntity.EnqueueControlMessage(APP, "chat", "", "short".getBytes(StandardCharsets.UTF_8), now,
                        now + 100, r)).reply();
        device.advance(Duration.ofMillis(120)); // past its TTL: the next check expires it
        device.settle();
        assertEquals(MessageFate.State.EXPIRED, device.entity.getState().control().fate(APP, "chat", reply.messageId())
                .orElseThrow().state());
        device.entity.runCommand(new DeviceEntity.ReportPower(PowerState.Active, null, null, device.now()));
        device.expectNoMoreControl(link);
        assertTrue(device.appEvents.events(APP).stream().anyMatch(e -> e instanceof AppEvent.MessageReceipt r
                && r.messageId().equals(reply.messageId()) && r.fate() == AppEvent.MessageFate.EXPIRED));
    }

    @Test
    void closingTheChannelRejectsItsUnackedMessagesAndRefusesFurtherSends() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        device.entity.runCommand(new DeviceEntity.ReportPower(PowerState.Sleep, null, null, device.now()));
        DeviceEntity.ControlSendReply held = send("chat", "", "never delivered");

        DeviceEntity.ControlChannelAnswer closed = device.entity.<DeviceEntity.ControlChannelAnswer>runCommand(
                r -> new DeviceEntity.CloseControlChannel(APP, "chat", r)).reply();
        assertTrue(closed.closed(), closed::toString);

        device.settle();
        assertEquals(MessageFate.State.REJECTED, device.entity.getState().control().fate(APP, "chat", held.messageId())
                .orElseThrow().state());
        assertTrue(device.appEvents.events(APP).stream().anyMatch(e -> e instanceof AppEvent.MessageReceipt r
                && r.messageId().equals(held.messageId()) && r.fate() == AppEvent.MessageFate.REJECTED));
        var refused = device.entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP,
                "chat", "", new byte[] {1}, device.now(), Long.MAX_VALUE, r));
        assertEquals(DeviceEntity.ControlSendResult.CHANNEL_CLOSED, refused.reply().result());
        assertTrue(refused.events().isEmpty(), "nothing journaled");
        device.entity.runCommand(new DeviceEntity.ReportPower(PowerState.Active, null, null, device.now()));
        device.expectNoMoreControl(link);

        // the app creates the channel again: sends are accepted and delivered again
        assertEquals(ControlChannelTriggerStatus.SoftwareSlotAllocated,
                createChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot).status().orElseThrow());
        send("chat", "", "after reopening");
        assertEquals("after reopening", new String(link.control(1).get(0).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void aFullBacklogRefusesTheSendWithoutStoringIt() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        for (int i = 0; i < 4; i++) {
            send("chat", "", "m" + i);
        }
        var refused = device.entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP,
                "chat", "", new byte[] {1}, device.now(), Long.MAX_VALUE, r));
        assertEquals(DeviceEntity.ControlSendResult.BACKLOG_FULL, refused.reply().result());
        assertTrue(refused.events().isEmpty(), "nothing journaled");
    }

    @Test
    void aRetryWithTheSameClientMessageIdIsTheSameMessage() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        DeviceEntity.ControlSendReply first = send("chat", "order-7", "pay");
        var retry = device.entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP,
                "chat", "order-7", "pay".getBytes(StandardCharsets.UTF_8), device.now(), Long.MAX_VALUE, r));
        assertEquals(DeviceEntity.ControlSendResult.DUPLICATE, retry.reply().result());
        assertEquals(first.messageId(), retry.reply().messageId());
        assertTrue(retry.events().isEmpty());
        assertEquals(1, link.control(1).size());
        device.expectNoMoreControl(link);
    }

    @Test
    void aChannelWithoutKeepAliveGoesStaleAndTheAppServerIsTold() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        device.advance(KEEP_ALIVE.plusMillis(20));
        device.settle();
        assertTrue(states().contains(AppEvent.ChannelState.STALE), states()::toString);
        device.entity.runCommand(new DeviceEntity.ControlKeepAliveReceived(APP, "chat", device.now()));
        assertTrue(states().lastIndexOf(AppEvent.ChannelState.ACTIVE) > states().indexOf(AppEvent.ChannelState.STALE),
                states()::toString);
    }

    @Test
    void upstreamMessagesReachTheAppServer() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        device.entity.runCommand(new DeviceEntity.ControlUpstreamReceived(APP, "chat", 9, "up".getBytes(StandardCharsets.UTF_8),
                device.now()));
        assertTrue(device.appEvents.events(APP).stream().anyMatch(e -> e instanceof AppEvent.UpstreamMessage u
                && u.upstreamId() == 9 && new String(u.payload(), StandardCharsets.UTF_8).equals("up")));
    }

    @Test
    void softwareSlotMessagesWaitDuringConnectedStandbyAndFlowOnWake() {
        readyChannel("sw", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.CONNECTED_STANDBY);
        assertEquals(ControlChannelTriggerStatus.HardwareSlotAllocated,
                createChannel("hw", ControlChannelTriggerResourceType.RequestHardwareSlot).status().orElseThrow());
        device.entity.runCommand(new DeviceEntity.ReportPower(PowerState.ConnectedStandby, null, null, device.now()));
        send("sw", "", "held");
        send("hw", "", "through");
        List<LinkMessage.DeliverControl> inStandby = link.control(1);
        assertEquals("hw", inStandby.get(0).controlChannelId(), "a hardware slot delivers in connected standby");
        device.expectNoMoreControl(link);

        // waking resets software slots (wns-spec 7.9); the app creates its channel again under the same id
        device.entity.runCommand(new DeviceEntity.ReportPower(PowerState.Active, null, null, device.now()));
        assertEquals(ControlChannelTriggerStatus.SoftwareSlotAllocated,
                createChannel("sw", ControlChannelTriggerResourceType.RequestSoftwareSlot).status().orElseThrow());
        List<LinkMessage.DeliverControl> onWake = link.control(1);
        assertEquals("sw", onWake.get(0).controlChannelId());
        assertEquals("held", new String(onWake.get(0).payload(), StandardCharsets.UTF_8));
        assertEquals(1, onWake.get(0).sequence(), "the queue continued across the reset");
    }

    @Test
    void aSuspendedAppIsWokenByABackgroundTaskChargedToItsBudget() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        device.entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Suspended));
        var first = device.entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP, "chat",
                "", "wake".getBytes(StandardCharsets.UTF_8), device.now(), Long.MAX_VALUE, r));
        assertEquals(DeviceEntity.ControlSendResult.ACCEPTED, first.reply().result());
        LinkMessage.DeliverControl woken = link.control(1).get(0);
        assertEquals(DeliveryMode.BackgroundTask, woken.mode());
        device.settle();
        assertTrue(device.entity.getState().policy().apps().runningTask(APP).isPresent(), "the task start was persisted");
        send("chat", "", "later");
        device.expectNoMoreControl(link); // one background task at a time (wns-spec 5.10)
        device.entity.runCommand(new DeviceEntity.ReportBackgroundTask(APP, TriggerKind.ControlChannelTrigger, 10, 0,
                device.now()));
        assertEquals("later", new String(link.control(1).get(0).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void acceptedMessagesAndTheirReceiptsSurviveARestart() {
        readyChannel("chat", ControlChannelTriggerResourceType.RequestSoftwareSlot, DeviceCapabilities.NONE);
        DeviceEntity.ControlSendReply sent = send("chat", "", "durable");
        device.entity.restart();
        MessageFate fate = device.entity.getState().control().fate(APP, "chat", sent.messageId()).orElseThrow();
        assertEquals(MessageFate.State.ACCEPTED, fate.state());
        device.settle();
        assertTrue(device.appEvents.events(APP).stream().anyMatch(e -> e instanceof AppEvent.MessageReceipt r
                && r.messageId().equals(sent.messageId()) && r.fate() == AppEvent.MessageFate.ACCEPTED));
        // the log's confirmation is journaled with the next control check (the channel's keep-alive deadline here)
        device.advance(KEEP_ALIVE.plusMillis(20));
        device.settle();
        assertTrue(device.entity.getState().control().receipts().isEmpty());
        var status = device.entity.<DeviceEntity.ControlMessageStatus>runCommand(r -> new DeviceEntity.GetControlMessage(APP,
                "chat", sent.messageId(), r)).reply();
        assertNotNull(status.fate());
        assertFalse(device.entity.getState().control().queue(APP, "chat").orElseThrow().pending().isEmpty());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private List<Object> journaled() {
        return PersistenceTestKit.create(testKit.system()).persistedInStorage("Device|dev-c");
    }

    private List<AppEvent.ChannelState> states() {
        List<AppEvent.ChannelState> states = new ArrayList<>();
        device.appEvents.events(APP).stream().filter(e -> e instanceof AppEvent.ChannelStateChanged)
                .forEach(e -> states.add(((AppEvent.ChannelStateChanged) e).state()));
        return states;
    }

    private void readyChannel(String id, ControlChannelTriggerResourceType type, DeviceCapabilities capabilities) {
        device.attach(link, capabilities);
        device.entity.<DeviceEntity.LockScreenAnswer>runCommand(r -> new DeviceEntity.RequestLockScreenAccess(APP,
                EnumSet.of(ManifestBackgroundTask.ControlChannel), r));
        device.entity.<DeviceEntity.LockScreenAnswer>runCommand(r -> new DeviceEntity.AnswerLockScreenConsent(APP,
                LockScreenConsent.Allow, r));
        device.entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Foreground));
        DeviceEntity.ControlChannelAnswer answer = createChannel(id, type);
        ControlChannelTriggerStatus status = answer.status().orElseThrow();
        assertTrue(status == ControlChannelTriggerStatus.SoftwareSlotAllocated
                || status == ControlChannelTriggerStatus.HardwareSlotAllocated, answer::toString);
    }

    private DeviceEntity.ControlChannelAnswer createChannel(String id, ControlChannelTriggerResourceType type) {
        return device.entity.<DeviceEntity.ControlChannelAnswer>runCommand(r ->
                new DeviceEntity.CreateControlChannel(APP, id, 15, type, r)).reply();
    }

    private DeviceEntity.ControlSendReply send(String channel, String clientId, String body) {
        var result = device.entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP,
                channel, clientId, body.getBytes(StandardCharsets.UTF_8), device.now(), Long.MAX_VALUE, r));
        assertEquals(DeviceEntity.ControlSendResult.ACCEPTED, result.reply().result());
        // the send is written by the PersistSends it queues (group commit), so the events land after this command's
        // own step; the state, changed only by persisted events, already holds the message when the reply arrives
        assertTrue(device.entity.getState().control().fate(APP, channel, result.reply().messageId()).isPresent(),
                "journaled before the reply");
        return result.reply();
    }

    private static List<Long> sequences(List<LinkMessage.DeliverControl> deliveries) {
        return deliveries.stream().map(LinkMessage.DeliverControl::sequence).toList();
    }
}
