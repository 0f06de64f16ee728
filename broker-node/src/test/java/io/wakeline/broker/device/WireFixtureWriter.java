package io.wakeline.broker.device;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wakeline.broker.device.control.MessageFate;
import io.wakeline.broker.device.link.LinkAddress;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.BackgroundAccessStatus;
import io.wakeline.broker.device.policy.ControlChannelTriggerResetReason;
import io.wakeline.broker.device.policy.ControlChannelTriggerResourceType;
import io.wakeline.broker.device.policy.ControlChannelTriggerStatus;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.DeviceNotification;
import io.wakeline.broker.device.policy.DevicePolicyState;
import io.wakeline.broker.device.policy.LockScreenConsent;
import io.wakeline.broker.device.policy.LockScreenRemovalCause;
import io.wakeline.broker.device.policy.ManifestBackgroundTask;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.policy.SystemTriggerType;
import io.wakeline.broker.device.policy.TriggerKind;
import io.wakeline.broker.gateway.device.LinkRegistry;
import io.wakeline.protocol.v1.NotificationType;
import io.wakeline.protocol.v1.RawDelivery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes {@value #FIXTURE}: one serialized sample of every message that crosses nodes between a device entity, the
 * gateways that ask it and the link registries it sends to, as a build sends it. {@code CrossNodeWireTest} checks that
 * the current build reads each one and writes it back in the same form, so nodes of both builds understand each other
 * during a rolling upgrade. Runs only when asked, like {@link JournalFixtureWriter}; written by main at 56eff2d
 * (commit 1d72284 has this writer on top of it).
 */
@EnabledIfSystemProperty(named = "wakeline.write-fixtures", matches = "true")
class WireFixtureWriter {
    static final String FIXTURE = "fixtures/device-wire-56eff2d.json";
    /** The system serializing and reading samples: same name on both sides, so actor refs read back as written. */
    static final String SYSTEM = "wire";
    static final Config CONFIG = ConfigFactory.parseString(
            "akka.actor.serialization-bindings { \"io.wakeline.broker.CborSerializable\" = jackson-cbor }");
    private static final String APP = "ms-app://S-1-15-2-7001";
    private static final long AT = 1_790_000_000_000L;

    @Test
    void writeTheCrossNodeMessageFixture() {
        Path out = Path.of(System.getProperty("wakeline.repo-root", ".."), "broker-node", "src", "test", "resources",
                FIXTURE);
        ActorTestKit kit = ActorTestKit.create(SYSTEM, CONFIG);
        try {
            ArrayNode wire = JournalFixture.JSON.createArrayNode();
            samples(kit.system().deadLetters()).forEach((name, message) ->
                    wire.add(JournalFixture.JSON.valueToTree(JournalFixture.serialize(kit.system(), name, message))));
            ObjectNode fixture = JournalFixture.JSON.createObjectNode();
            fixture.put("writtenBy", "WireFixtureWriter at main 56eff2d (Akka 2.8.5, jackson-cbor)");
            fixture.set("wire", wire);
            JournalFixture.write(out, fixture);
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static Map<String, Object> samples(ActorRef<Object> ref) {
        byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
        LinkAddress link = new LinkAddress(ref, 7);
        Map<String, Object> m = new LinkedHashMap<>();
        // gateways -> device entity
        m.put("Attach", new DeviceEntity.Attach(link, DeviceCapabilities.CONNECTED_STANDBY, AT, ref.unsafeUpcast()));
        m.put("Detach", new DeviceEntity.Detach(link, AT));
        m.put("RequestLockScreenAccess", new DeviceEntity.RequestLockScreenAccess(APP,
                EnumSet.of(ManifestBackgroundTask.ControlChannel), ref.unsafeUpcast()));
        m.put("AnswerLockScreenConsent", new DeviceEntity.AnswerLockScreenConsent(APP, LockScreenConsent.Allow, ref.unsafeUpcast()));
        m.put("AddToLockScreenByUser", new DeviceEntity.AddToLockScreenByUser(APP,
                EnumSet.of(ManifestBackgroundTask.Timer), ref.unsafeUpcast()));
        m.put("RemoveFromLockScreen", new DeviceEntity.RemoveFromLockScreen(APP, LockScreenRemovalCause.RemoveAccessCalled,
                ref.unsafeUpcast()));
        m.put("CreateControlChannel", new DeviceEntity.CreateControlChannel(APP, "cc", 15,
                ControlChannelTriggerResourceType.RequestHardwareSlot, ref.unsafeUpcast()));
        m.put("CloseControlChannel", new DeviceEntity.CloseControlChannel(APP, "cc", ref.unsafeUpcast()));
        m.put("ReportControlChannelReset", new DeviceEntity.ReportControlChannelReset(ControlChannelTriggerResetReason.LowPowerExit));
        m.put("ReportPower", new DeviceEntity.ReportPower(PowerState.ConnectedStandby, PowerSource.Battery, true, AT));
        m.put("ReportPower-partial", new DeviceEntity.ReportPower(null, null, null, AT));
        m.put("ReportAppState", new DeviceEntity.ReportAppState(APP, AppExecutionState.Suspended));
        m.put("RegisterTrigger", new DeviceEntity.RegisterTrigger(APP, TriggerKind.TimeTrigger, 15,
                DeviceEntity.RegisterTrigger.Change.Register, ref.unsafeUpcast()));
        m.put("RegisterTrigger-unregister", new DeviceEntity.RegisterTrigger(APP, TriggerKind.PushNotificationTrigger, 0,
                DeviceEntity.RegisterTrigger.Change.Unregister, ref.unsafeUpcast()));
        m.put("RequestBackgroundTask", new DeviceEntity.RequestBackgroundTask(APP, TriggerKind.TimeTrigger, AT, ref.unsafeUpcast()));
        m.put("ReportBackgroundTask", new DeviceEntity.ReportBackgroundTask(APP, TriggerKind.TimeTrigger, 300, 4096, AT));
        m.put("RequestChannel", new DeviceEntity.RequestChannel(APP, AT, ref.unsafeUpcast()));
        m.put("CloseChannel", new DeviceEntity.CloseChannel(APP, "ch-1", AT, ref.unsafeUpcast()));
        m.put("SubscribeWebPush", new DeviceEntity.SubscribeWebPush(APP, new byte[] {4, 1, 2}, AT, ref.unsafeUpcast()));
        m.put("UnsubscribeWebPush", new DeviceEntity.UnsubscribeWebPush("sub-1", AT));
        m.put("WebPushAcked", new DeviceEntity.WebPushAcked(List.of(new DeviceEntity.WebPushMessageRef("sub-1", "m-1")), AT));
        m.put("ControlAckReceived", new DeviceEntity.ControlAckReceived(APP, "cc", 9, AT));
        m.put("ControlKeepAliveReceived", new DeviceEntity.ControlKeepAliveReceived(APP, "cc", AT));
        m.put("ControlUpstreamReceived", new DeviceEntity.ControlUpstreamReceived(APP, "cc", 3, payload, AT));
        m.put("DeliverPush-raw", new DeviceEntity.DeliverPush(new WnsPush("dev-1", APP, "ch-1", WnsType.RAW, payload,
                CachePolicy.CACHE, "", "", PushPriority.LOW, Push.NEVER, "msg-1", AT), ref.unsafeUpcast()));
        m.put("DeliverPush-tile", new DeviceEntity.DeliverPush(new WnsPush("dev-1", APP, "ch-1", WnsType.TILE, payload,
                CachePolicy.NO_CACHE, "tag", "group", PushPriority.MEDIUM, AT + 60_000, "msg-2", AT), ref.unsafeUpcast()));
        m.put("DeliverPush-webpush", new DeviceEntity.DeliverPush(new WebPushMessage("dev-1", APP, "sub-1", payload,
                "aes128gcm", 60, WebPushUrgency.HIGH, "topic", new WebPushMessage.ReceiptRequest("rs-1", "/m/1"), "msg-3", AT),
                ref.unsafeUpcast()));
        m.put("ManageWebPushMessage", new DeviceEntity.ManageWebPushMessage("sub-1", "msg-3", DeviceEntity.MessageAction.Delete,
                ref.unsafeUpcast()));
        m.put("EnqueueControlMessage", new DeviceEntity.EnqueueControlMessage(APP, "cc", "order-1", payload, AT, AT + 60_000,
                ref.unsafeUpcast()));
        m.put("GetControlMessage", new DeviceEntity.GetControlMessage(APP, "cc", "msg-4", ref.unsafeUpcast()));
        m.put("GetDevice", new DeviceEntity.GetDevice(ref.unsafeUpcast()));
        // device entity -> gateways (replies)
        m.put("Attached", new DeviceEntity.Attached("dev-1", 3, ref.unsafeUpcast()));
        m.put("LockScreenAnswer-prompt", new DeviceEntity.LockScreenAnswer(APP, BackgroundAccessStatus.Unspecified, true,
                LockScreenRejection.None));
        m.put("LockScreenAnswer-rejected", new DeviceEntity.LockScreenAnswer(APP, BackgroundAccessStatus.Denied, false,
                LockScreenRejection.LockScreenFull));
        m.put("LockScreenAnswer-not-on-lock-screen", new DeviceEntity.LockScreenAnswer(APP, BackgroundAccessStatus.Denied,
                false, LockScreenRejection.NotOnLockScreen));
        m.put("ControlChannelAnswer-created", DeviceEntity.ControlChannelAnswer.created(APP, "cc",
                ControlChannelTriggerStatus.HardwareSlotAllocated, "https://broker.test/cc/x"));
        m.put("ControlChannelAnswer-policy-error", DeviceEntity.ControlChannelAnswer.created(APP, "cc",
                ControlChannelTriggerStatus.PolicyError, ""));
        m.put("ControlChannelAnswer-rejected", DeviceEntity.ControlChannelAnswer.rejected(APP, "cc",
                ControlChannelRejection.NotOnLockScreen));
        m.put("ControlChannelAnswer-closed", DeviceEntity.ControlChannelAnswer.closed(APP, "cc"));
        m.put("ControlChannelAnswer-unknown", DeviceEntity.ControlChannelAnswer.rejected(APP, "cc",
                ControlChannelRejection.UnknownChannel));
        m.put("TriggerAnswer", new DeviceEntity.TriggerAnswer(APP, TriggerRejection.None));
        m.put("TriggerAnswer-rejected", new DeviceEntity.TriggerAnswer(APP,
                TriggerRejection.FreshnessBelowFifteenMinutes));
        m.put("BackgroundTaskAnswer-run", new DeviceEntity.BackgroundTaskAnswer(APP, DeviceEntity.TaskVerdict.RUN, 0, ""));
        m.put("BackgroundTaskAnswer-quota", new DeviceEntity.BackgroundTaskAnswer(APP, DeviceEntity.TaskVerdict.QUOTA_EXHAUSTED,
                AT + 900_000, "sandbox quota exhausted: [Cpu]"));
        m.put("ChannelGranted", new DeviceEntity.ChannelGranted(APP, "ch-1", "https://broker.test/w/ch-1", AT + 60_000));
        m.put("ChannelsClosedReply", new DeviceEntity.ChannelsClosedReply(APP, List.of("ch-0", "ch-1")));
        m.put("WebPushSubscribed", new DeviceEntity.WebPushSubscribed(APP, "sub-1", "https://broker.test/wp/sub-1", AT + 60_000));
        m.put("StoredWebPushMessage", new DeviceEntity.StoredWebPushMessage(true));
        m.put("ControlSendReply-accepted", new DeviceEntity.ControlSendReply(DeviceEntity.ControlSendResult.ACCEPTED, "msg-4", 4, 0));
        m.put("ControlSendReply-full", new DeviceEntity.ControlSendReply(DeviceEntity.ControlSendResult.BACKLOG_FULL, "", 0, 1000));
        m.put("ControlMessageStatus", new DeviceEntity.ControlMessageStatus(new MessageFate("msg-4", "order-1", 4,
                MessageFate.State.DELIVERED, AT, AT + 5, 0, AT + 60_000, 0)));
        m.put("ControlMessageStatus-gone", new DeviceEntity.ControlMessageStatus(null));
        m.put("DeviceView", new DeviceEntity.DeviceView("dev-1", true, Map.of(APP, Map.of("ch-1", AT + 60_000)),
                DevicePolicyState.INITIAL));
        m.put("PushOutcome-delivered", new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED));
        m.put("PushOutcome-stored", new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED, PushOutcome.StoreReason.BATCHED));
        m.put("PushOutcome-waiting", new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED,
                PushOutcome.StoreReason.WAITING_FOR_BACKGROUND_TASK));
        m.put("PushOutcome-dropped-rule", new PushOutcome.Dropped(DeviceConnectionStatus.CONNECTED,
                PushOutcome.DropReason.ofWireText("NoPushNotificationTrigger")));
        m.put("PushOutcome-dropped-asleep", new PushOutcome.Dropped(DeviceConnectionStatus.CONNECTED,
                PushOutcome.DropReason.ofWireText("DeviceAsleep")));
        m.put("PushOutcome-dropped-no-cache", new PushOutcome.Dropped(DeviceConnectionStatus.DISCONNECTED,
                PushOutcome.DropReason.ofWireText("device is offline and X-WNS-Cache-Policy is no-cache")));
        m.put("PushOutcome-dropped-ttl0", new PushOutcome.Dropped(DeviceConnectionStatus.CONNECTED,
                PushOutcome.DropReason.ofWireText("TTL 0 and the device's power state defers delivery")));
        m.put("PushOutcome-unknown", new PushOutcome.TargetUnknown());
        m.put("PushOutcome-closed", new PushOutcome.TargetClosed());
        // device entity -> link registry of the link's node
        m.put("LinkRegistry.Deliver-raw", new LinkRegistry.Deliver(7, APP, "ch-1", NotificationType.RAW, payload, "msg-1", AT,
                RawDelivery.BACKGROUND_TASK));
        m.put("LinkRegistry.Deliver-toast", new LinkRegistry.Deliver(7, APP, "ch-1", NotificationType.TOAST, payload, "msg-2", AT,
                RawDelivery.RAW_DELIVERY_UNSPECIFIED));
        m.put("LinkRegistry.Deliver-control", new LinkRegistry.Deliver(7, APP, "", NotificationType.CONTROL, payload, "msg-4", AT,
                RawDelivery.FOREGROUND_EVENT, "cc", 4));
        m.put("LinkRegistry.DeliverWebPush", new LinkRegistry.DeliverWebPush(7, APP, "sub-1", payload, "aes128gcm", "msg-3", AT));
        m.put("LinkRegistry.Notify-trigger", new LinkRegistry.Notify(7, new DeviceNotification.SystemTriggerRaised(APP,
                SystemTriggerType.LockScreenApplicationAdded)));
        m.put("LinkRegistry.Notify-reset", new LinkRegistry.Notify(7, new DeviceNotification.ControlChannelReset(APP,
                ControlChannelTriggerResetReason.LowPowerExit, false, true)));
        m.put("LinkRegistry.Replaced", new LinkRegistry.Replaced(7));
        return m;
    }
}
