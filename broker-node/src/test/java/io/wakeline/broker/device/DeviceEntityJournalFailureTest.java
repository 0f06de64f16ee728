package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import io.wakeline.broker.device.DeviceEntityFixture.Link;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.ControlChannelTriggerResourceType;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.LockScreenConsent;
import io.wakeline.broker.device.policy.ManifestBackgroundTask;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failed journal write restarts the entity (after Akka's backoff, 200 ms at first), which recovers and keeps serving
 * its link without a new attach. On the real scheduler: the backoff is Akka's, and the test kit waits for the restart.
 */
class DeviceEntityJournalFailureTest {
    private static final String APP = "ms-app://S-1-15-2-600";
    private static ActorTestKit testKit;

    @BeforeAll
    static void startTestKit() {
        testKit = ActorTestKit.create(DeviceEntityFixture.CONFIG);
    }

    @AfterAll
    static void stopTestKit() {
        testKit.shutdownTestKit();
    }

    @Test
    void aFailedJournalWriteRestartsTheEntityWhichKeepsServingItsLink() {
        DeviceEntityFixture device = new DeviceEntityFixture(testKit, "dev-f",
                DeviceEntitySettings.DEFAULTS.withControlChannels(DeviceEntityControlTest.CONTROL));
        Link link = device.link(1);
        device.attach(link, DeviceCapabilities.NONE);
        device.entity.<DeviceEntity.LockScreenAnswer>runCommand(r -> new DeviceEntity.RequestLockScreenAccess(APP,
                EnumSet.of(ManifestBackgroundTask.ControlChannel), r));
        device.entity.<DeviceEntity.LockScreenAnswer>runCommand(r -> new DeviceEntity.AnswerLockScreenConsent(APP,
                LockScreenConsent.Allow, r));
        device.entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Foreground));
        device.entity.<DeviceEntity.ControlChannelAnswer>runCommand(r -> new DeviceEntity.CreateControlChannel(APP, "chat", 15,
                ControlChannelTriggerResourceType.RequestSoftwareSlot, r));
        send(device, "m1");
        assertEquals(List.of(1L), sequences(link.control(1)));

        device.entity.persistenceTestKit().failNextPersisted("Device|dev-f", new RuntimeException("disk full"));
        TestProbe<DeviceEntity.ControlSendReply> lost = testKit.createTestProbe();
        device.entity.runCommand(new DeviceEntity.EnqueueControlMessage(APP, "chat", "", "m2".getBytes(StandardCharsets.UTF_8),
                device.now(), Long.MAX_VALUE, lost.ref()));

        // restarted and recovered from the journal: the next send is accepted and reaches the same link without the
        // device attaching again
        assertEquals(2, send(device, "m3").seq(), "m2 was never journaled, so m3 follows m1");
        // m2 was not journaled, so never accepted (its sender's ask times out); an answer would have come before m3's
        lost.expectNoMessage(Duration.ZERO);
        List<LinkMessage.DeliverControl> delivered = link.control(1);
        assertEquals(List.of(2L), sequences(delivered));
        assertEquals("m3", new String(delivered.get(0).payload(), StandardCharsets.UTF_8));
    }

    private static DeviceEntity.ControlSendReply send(DeviceEntityFixture device, String body) {
        return device.entity.<DeviceEntity.ControlSendReply>runCommand(r -> new DeviceEntity.EnqueueControlMessage(APP, "chat",
                "", body.getBytes(StandardCharsets.UTF_8), device.now(), Long.MAX_VALUE, r)).reply();
    }

    private static List<Long> sequences(List<LinkMessage.DeliverControl> deliveries) {
        return deliveries.stream().map(LinkMessage.DeliverControl::sequence).toList();
    }
}
