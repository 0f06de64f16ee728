package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.wakeline.broker.TestClusters;
import io.wakeline.broker.TestDatabase;
import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.app.events.AppEventPublisher;
import io.wakeline.broker.app.events.InMemoryAppEventPublisher;
import io.wakeline.broker.device.control.ControlChannelSettings;
import io.wakeline.broker.device.control.MessageFate;
import io.wakeline.broker.device.link.LinkAddress;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.ControlChannelTriggerResetReason;
import io.wakeline.broker.device.policy.ControlChannelTriggerResourceType;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.LockScreenConsent;
import io.wakeline.broker.device.policy.LockScreenRemovalCause;
import io.wakeline.broker.device.policy.ManifestBackgroundTask;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.policy.SandboxBudgetSettings;
import io.wakeline.broker.device.policy.TriggerKind;
import io.wakeline.broker.device.push.PushDeliverySettings;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import io.wakeline.broker.device.shell.DeviceEntityShell;
import io.wakeline.broker.device.shell.DeviceServices;
import io.wakeline.broker.gateway.device.LinkRegistry;
import io.wakeline.broker.gateway.device.RegistryLinks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes {@value #FIXTURE}: the journal and snapshot rows a device entity writes through a rich history (channels
 * issued and closed, Web Push subscriptions, every policy area, control messages enqueued, delivered, acked, expired
 * and rejected, both control-event forms, snapshots), on H2, and what the entities show once recovered from them.
 * {@link OldJournalRecoveryTest} recovers these rows with the current build and expects the same.
 *
 * <p>Not a test: it runs only when asked, with the build whose journal format the fixture is to hold:
 * <pre>
 * mvn -B -o -pl broker-node -am test -Dtest=JournalFixtureWriter -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dwakeline.write-fixtures=true
 * </pre>
 * The checked-in fixture was written by main at 56eff2d (the build before the device entity was split into rule
 * objects): check out commit 1d72284 (this writer on top of 56eff2d) to write it again from that build. The writer
 * is kept compiling against the current build so a later format change can get its own fixture the same way.
 */
@EnabledIfSystemProperty(named = "wakeline.write-fixtures", matches = "true")
class JournalFixtureWriter {
    static final String FIXTURE = "fixtures/device-journal-56eff2d.json";
    static final String APP_A = "ms-app://S-1-15-2-7001";
    static final String APP_B = "ms-app://S-1-15-2-7002";
    static final String APP_C = "ms-app://S-1-15-2-7003";
    private static final Set<ManifestBackgroundTask> ALL_TASKS = EnumSet.of(ManifestBackgroundTask.ControlChannel,
            ManifestBackgroundTask.PushNotification, ManifestBackgroundTask.Timer);
    private static final long FAR_FUTURE = 4_102_444_800_000L; // 2100-01-01

    @TempDir
    Path dataDir;

    @Test
    void writeTheDeviceJournalFixture() throws Exception {
        Path out = Path.of(System.getProperty("wakeline.repo-root", ".."), "broker-node", "src", "test", "resources",
                FIXTURE);
        ArrayNode scenario = JournalFixture.JSON.createArrayNode();
        Config written = TestClusters.journaledConfig(dataDir.resolve("written"), TestDatabase.h2(), "");
        ActorTestKit writer = TestClusters.startJoined("fixture-writer", written);
        try {
            scenario.add(new History(writer, "fixture-events-only", 1_000).run());
            scenario.add(new History(writer, "fixture-snapshotted", 15).run());
        } finally {
            writer.shutdownTestKit();
        }
        ObjectNode rows = JournalFixture.readRows(written);
        assertTrue(rows.get("snapshots").size() > 0, "the snapshotted device wrote snapshots");

        // what this build shows once it recovers the rows, loaded into a fresh journal the way the test loads them
        Config recovery = TestClusters.journaledConfig(dataDir.resolve("recovered"), TestDatabase.h2(),
                "akka.actor.serialize-messages = off");
        JournalFixture.loadRows(recovery, JournalFixture.list(rows.get("events"), JournalFixture.EventRow.class),
                JournalFixture.list(rows.get("snapshots"), JournalFixture.SnapshotRow.class));
        ActorTestKit reader = TestClusters.startJoined("fixture-reader", recovery);
        ObjectNode expected;
        try {
            expected = RecoveredDevices.observe(reader, scenario, null, System.currentTimeMillis());
        } finally {
            reader.shutdownTestKit();
        }
        ObjectNode fixture = JournalFixture.JSON.createObjectNode();
        fixture.put("writtenBy", "JournalFixtureWriter at main 56eff2d (Akka 2.8.5, akka-persistence-jdbc 5.2.1, H2)");
        fixture.set("scenario", scenario);
        fixture.set("events", rows.get("events"));
        fixture.set("snapshots", rows.get("snapshots"));
        fixture.set("expected", expected);
        JournalFixture.write(out, fixture);
    }

    /** One device's history, driven command by command against the entity on the real journal. */
    private static final class History {
        private final ActorTestKit kit;
        private final String deviceId;
        private final ActorRef<DeviceEntity.Command> entity;
        private final TestProbe<LinkRegistry.Command> link;
        private final SwitchableLog log = new SwitchableLog();
        private final List<String[]> messages = new ArrayList<>();

        History(ActorTestKit kit, String deviceId, int snapshotEvery) {
            this.kit = kit;
            this.deviceId = deviceId;
            ControlChannelSettings control = ControlChannelSettings.DEFAULTS.withWindow(4)
                    .withAckBatch(2, Duration.ofMillis(100)).withTickInterval(Duration.ofMillis(50));
            DeviceEntitySettings settings = new DeviceEntitySettings(Duration.ofMinutes(5), snapshotEvery,
                    Duration.ofDays(30), Duration.ofSeconds(5), "", SandboxBudgetSettings.WINDOWS_8_DEFAULTS,
                    PushDeliverySettings.DEFAULTS, control);
            TestProbe<ClusterSharding.ShardCommand> shard = kit.createTestProbe();
            this.entity = kit.spawn(DeviceEntityShell.create(deviceId, shard.ref(), settings,
                    new DeviceServices(RecoveredDevices.ENDPOINTS, log, new RegistryLinks(), InstantSource.system())));
            this.link = kit.createTestProbe();
        }

        ObjectNode run() throws Exception {
            long t = System.currentTimeMillis();
            // push channels: "that and older" closing, Web Push subscriptions issued and removed
            String c1 = channel(APP_A, t - 3_000);
            String c2 = channel(APP_A, t - 2_000);
            String c3 = channel(APP_A, t - 1_000);
            String d1 = channel(APP_B, t);
            var closed = ask(DeviceEntity.ChannelsClosedReply.class, r -> new DeviceEntity.CloseChannel(APP_A, c2, t, r));
            assertEquals(List.of(c1, c2).stream().sorted().toList(), closed.closedChannelIds());
            byte[] key = new byte[65];
            key[0] = 4;
            String s1 = ask(DeviceEntity.WebPushSubscribed.class, r -> new DeviceEntity.SubscribeWebPush(APP_A, key, t, r))
                    .subscriptionId();
            String s2 = ask(DeviceEntity.WebPushSubscribed.class,
                    r -> new DeviceEntity.SubscribeWebPush(APP_B, new byte[0], t, r)).subscriptionId();
            entity.tell(new DeviceEntity.UnsubscribeWebPush(s2, t));

            // the link, the lock screen (consent asked, allowed, refused; added and removed in settings)
            ask(DeviceEntity.Attached.class, r -> new DeviceEntity.Attach(new LinkAddress(link.ref(), 1),
                    DeviceCapabilities.CONNECTED_STANDBY, System.currentTimeMillis(), r));
            ask(DeviceEntity.LockScreenAnswer.class, r -> new DeviceEntity.RequestLockScreenAccess(APP_A, ALL_TASKS, r));
            ask(DeviceEntity.LockScreenAnswer.class, r -> new DeviceEntity.AnswerLockScreenConsent(APP_A, LockScreenConsent.Allow, r));
            ask(DeviceEntity.LockScreenAnswer.class, r -> new DeviceEntity.RequestLockScreenAccess(APP_B,
                    EnumSet.of(ManifestBackgroundTask.PushNotification), r));
            ask(DeviceEntity.LockScreenAnswer.class, r -> new DeviceEntity.AnswerLockScreenConsent(APP_B, LockScreenConsent.DontAllow, r));
            ask(DeviceEntity.LockScreenAnswer.class, r -> new DeviceEntity.AddToLockScreenByUser(APP_C,
                    EnumSet.of(ManifestBackgroundTask.Timer), r));
            ask(DeviceEntity.LockScreenAnswer.class, r -> new DeviceEntity.RemoveFromLockScreen(APP_C,
                    LockScreenRemovalCause.RemovedByUser, r));

            // app states (the app's first foreground is a launch), then control-channel slots, a reset, created again
            entity.tell(new DeviceEntity.ReportAppState(APP_A, AppExecutionState.Foreground));
            entity.tell(new DeviceEntity.ReportAppState(APP_B, AppExecutionState.Suspended));
            createChannel("hw", ControlChannelTriggerResourceType.RequestHardwareSlot);
            createChannel("sw", ControlChannelTriggerResourceType.RequestSoftwareSlot);
            entity.tell(new DeviceEntity.ReportControlChannelReset(ControlChannelTriggerResetReason.FastUserSwitched));
            createChannel("hw", ControlChannelTriggerResourceType.RequestHardwareSlot);
            createChannel("sw", ControlChannelTriggerResourceType.RequestSoftwareSlot);
            createChannel("gone", ControlChannelTriggerResourceType.RequestSoftwareSlot);

            // triggers (one unregistered), a background task and its usage, power source and battery saver
            trigger(TriggerKind.PushNotificationTrigger, 0, false);
            trigger(TriggerKind.TimeTrigger, 15, false);
            trigger(TriggerKind.MaintenanceTrigger, 30, false);
            trigger(TriggerKind.MaintenanceTrigger, 0, true);
            ask(DeviceEntity.BackgroundTaskAnswer.class, r -> new DeviceEntity.RequestBackgroundTask(APP_A,
                    TriggerKind.TimeTrigger, System.currentTimeMillis(), r));
            entity.tell(new DeviceEntity.ReportBackgroundTask(APP_A, TriggerKind.TimeTrigger, 400, 2_048,
                    System.currentTimeMillis()));
            entity.tell(new DeviceEntity.ReportPower(null, PowerSource.Mains, false, System.currentTimeMillis()));
            entity.tell(new DeviceEntity.ReportPower(null, PowerSource.Battery, true, System.currentTimeMillis()));

            // control messages: sends gathered into one write (ControlChangedAll), a duplicate, the window, acks
            TestProbe<DeviceEntity.ControlSendReply> replies = kit.createTestProbe();
            for (int i = 1; i <= 6; i++) {
                entity.tell(new DeviceEntity.EnqueueControlMessage(APP_A, "hw", i <= 3 ? "order-" + i : "",
                        ("m" + i).getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), FAR_FUTURE, replies.ref()));
            }
            replies.receiveSeveralMessages(6, Duration.ofSeconds(10)).forEach(r -> remember("hw", r));
            remember("hw", send("hw", "order-1", "again", FAR_FUTURE));
            deliveries(4);
            entity.tell(new DeviceEntity.ControlAckReceived(APP_A, "hw", 2, System.currentTimeMillis()));
            entity.tell(new DeviceEntity.ControlAckReceived(APP_A, "hw", 4, System.currentTimeMillis()));
            deliveries(2);
            // one send alone: a single ControlChanged
            remember("sw", send("sw", "", "alone", FAR_FUTURE));
            deliveries(1);

            // a message that expires while the device sleeps
            entity.tell(new DeviceEntity.ReportPower(PowerState.Sleep, null, false, System.currentTimeMillis()));
            DeviceEntity.ControlSendReply expiring = send("sw", "", "expires", System.currentTimeMillis() + 100);
            remember("sw", expiring);
            awaitFate("sw", expiring.messageId(), MessageFate.State.EXPIRED);
            entity.tell(new DeviceEntity.ReportPower(PowerState.Active, null, false, System.currentTimeMillis()));

            // a channel closed with a message unacked (rejected), then created again (reopened)
            remember("gone", send("gone", "", "never acked", FAR_FUTURE));
            ask(DeviceEntity.ControlChannelAnswer.class, r -> new DeviceEntity.CloseControlChannel(APP_A, "gone", r));
            createChannel("gone", ControlChannelTriggerResourceType.RequestSoftwareSlot);

            // a raw push and a control message that each start a background task of the suspended app
            entity.tell(new DeviceEntity.ReportAppState(APP_A, AppExecutionState.Suspended));
            TestProbe<PushOutcome> pushed = kit.createTestProbe();
            entity.tell(new DeviceEntity.DeliverPush(new WnsPush(deviceId, APP_A, c3, WnsType.RAW,
                    "raw".getBytes(StandardCharsets.UTF_8), CachePolicy.NO_CACHE, "", "", PushPriority.LOW,
                    Push.NEVER, "raw-1", System.currentTimeMillis()), pushed.ref()));
            pushed.receiveMessage(Duration.ofSeconds(10));
            entity.tell(new DeviceEntity.ReportBackgroundTask(APP_A, TriggerKind.PushNotificationTrigger, 100, 0,
                    System.currentTimeMillis()));
            entity.tell(new DeviceEntity.ControlAckReceived(APP_A, "hw", 6, System.currentTimeMillis()));
            entity.tell(new DeviceEntity.ControlAckReceived(APP_A, "sw", 1, System.currentTimeMillis()));
            remember("hw", send("hw", "", "wakes the task", FAR_FUTURE));
            deliveries(1);
            entity.tell(new DeviceEntity.ReportBackgroundTask(APP_A, TriggerKind.ControlChannelTrigger, 50, 0,
                    System.currentTimeMillis()));

            // the event log stops confirming: these receipts stay pending in the journal
            ask(DeviceEntity.DeviceView.class, DeviceEntity.GetDevice::new);
            Thread.sleep(300); // the confirmation marker of what was recorded goes out with the next tick
            log.confirming = false;
            remember("hw", send("hw", "order-9", "pending", FAR_FUTURE));
            remember("sw", send("sw", "", "pending too", FAR_FUTURE));
            entity.tell(new DeviceEntity.ControlAckReceived(APP_A, "hw", 7, System.currentTimeMillis()));
            entity.tell(new DeviceEntity.ControlAckReceived(APP_A, "sw", 2, System.currentTimeMillis()));
            ask(DeviceEntity.DeviceView.class, DeviceEntity.GetDevice::new);
            Thread.sleep(300); // the ack batch interval: both acks are persisted
            entity.tell(new DeviceEntity.Detach(new LinkAddress(link.ref(), 1), System.currentTimeMillis()));
            ask(DeviceEntity.DeviceView.class, DeviceEntity.GetDevice::new);

            ObjectNode scenario = JournalFixture.JSON.createObjectNode();
            scenario.put("deviceId", deviceId);
            ArrayNode known = scenario.putArray("messages");
            for (String[] m : messages) {
                known.addObject().put("appId", APP_A).put("channelId", m[0]).put("messageId", m[1]);
            }
            known.addObject().put("appId", APP_A).put("channelId", "hw").put("messageId", "never-sent");
            ArrayNode pushes = scenario.putArray("pushes");
            pushes.addObject().put("kind", "raw").put("appId", APP_A).put("target", c1);
            pushes.addObject().put("kind", "raw").put("appId", APP_A).put("target", c3);
            pushes.addObject().put("kind", "tile").put("appId", APP_B).put("target", d1);
            pushes.addObject().put("kind", "toast").put("appId", APP_A).put("target", c3);
            pushes.addObject().put("kind", "raw").put("appId", APP_A).put("target", "never-issued");
            pushes.addObject().put("kind", "webpush").put("appId", APP_A).put("target", s1).put("ttl", 3600);
            pushes.addObject().put("kind", "webpush").put("appId", APP_A).put("target", s1).put("ttl", 0);
            pushes.addObject().put("kind", "webpush").put("appId", APP_B).put("target", s2).put("ttl", 3600);
            return scenario;
        }

        private String channel(String appId, long at) {
            return ask(DeviceEntity.ChannelGranted.class, r -> new DeviceEntity.RequestChannel(appId, at, r)).channelId();
        }

        private void createChannel(String id, ControlChannelTriggerResourceType type) {
            ask(DeviceEntity.ControlChannelAnswer.class, r -> new DeviceEntity.CreateControlChannel(APP_A, id, 15, type, r));
        }

        private void trigger(TriggerKind kind, int freshness, boolean unregister) {
            ask(DeviceEntity.TriggerAnswer.class, r -> new DeviceEntity.RegisterTrigger(APP_A, kind, freshness,
                    DeviceEntity.RegisterTrigger.Change.ofUnregister(unregister), r));
        }

        private DeviceEntity.ControlSendReply send(String channel, String clientId, String body, long expiresAt) {
            return ask(DeviceEntity.ControlSendReply.class, r -> new DeviceEntity.EnqueueControlMessage(APP_A, channel,
                    clientId, body.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), expiresAt, r));
        }

        private void remember(String channel, DeviceEntity.ControlSendReply reply) {
            if (!reply.messageId().isEmpty()) {
                messages.add(new String[] {channel, reply.messageId()});
            }
        }

        /** Waits for {@code n} control deliveries on the link (system triggers and other frames pass). */
        private void deliveries(int n) {
            int seen = 0;
            while (seen < n) {
                if (link.receiveMessage(Duration.ofSeconds(10)) instanceof LinkRegistry.Deliver d && !d.controlChannelId().isEmpty()) {
                    seen++;
                }
            }
        }

        private void awaitFate(String channel, String messageId, MessageFate.State state) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                MessageFate fate = ask(DeviceEntity.ControlMessageStatus.class,
                        r -> new DeviceEntity.GetControlMessage(APP_A, channel, messageId, r)).fate();
                if (fate != null && fate.state() == state) {
                    return;
                }
                Thread.sleep(20);
            }
            throw new AssertionError(messageId + " never became " + state);
        }

        private <R> R ask(Class<R> type, java.util.function.Function<ActorRef<R>, DeviceEntity.Command> command) {
            TestProbe<R> probe = kit.createTestProbe(type);
            entity.tell(command.apply(probe.ref()));
            return probe.receiveMessage(Duration.ofSeconds(10));
        }
    }

    /** The app event log: confirms every publish until told to stop, then never confirms one. */
    private static final class SwitchableLog implements AppEventPublisher {
        private final InMemoryAppEventPublisher confirmed = new InMemoryAppEventPublisher(10_000);
        volatile boolean confirming = true;

        @Override
        public CompletionStage<Done> publish(String appId, List<AppEvent> events) {
            return confirming ? confirmed.publish(appId, events) : new CompletableFuture<>();
        }
    }
}
