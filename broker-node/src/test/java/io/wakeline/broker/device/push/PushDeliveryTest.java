package io.wakeline.broker.device.push;

import static io.wakeline.broker.device.push.PushFixtures.APP;
import static io.wakeline.broker.device.push.PushFixtures.NOW;
import static io.wakeline.broker.device.push.PushFixtures.webPushWithReceipt;
import static io.wakeline.broker.device.push.PushFixtures.wns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.app.events.AppEvent;
import io.wakeline.broker.device.CachePolicy;
import io.wakeline.broker.device.DeviceConnectionStatus;
import io.wakeline.broker.device.Push;
import io.wakeline.broker.device.PushOutcome;
import io.wakeline.broker.device.PushPriority;
import io.wakeline.broker.device.WebPushMessage;
import io.wakeline.broker.device.WnsType;
import io.wakeline.broker.device.link.DeliveryMode;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.DevicePolicy;
import io.wakeline.broker.device.policy.DevicePolicyEvent;
import io.wakeline.broker.device.policy.DevicePolicyState;
import io.wakeline.broker.device.policy.LockScreenConsent;
import io.wakeline.broker.device.policy.ManifestBackgroundTask;
import io.wakeline.broker.device.policy.PolicyDecision;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.policy.SandboxBudgetSettings;
import io.wakeline.broker.device.policy.TriggerKind;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The raw path, decided in one place, and Web Push through the inbox and the receipts. */
class PushDeliveryTest {
    private final DevicePolicy rules = new DevicePolicy(SandboxBudgetSettings.WINDOWS_8_DEFAULTS);
    private final PushDelivery pushes = new PushDelivery("dev-1", rules, PushDeliverySettings.DEFAULTS);
    private DevicePolicyState policy = DevicePolicyState.INITIAL;

    private void decide(Function<DevicePolicyState, ? extends PolicyDecision> decision) {
        policy = policy.applyAll(decision.apply(policy).events());
    }

    private void connected() {
        decide(s -> rules.connect(s, DeviceCapabilities.CONNECTED_STANDBY, NOW));
    }

    /** The app on the lock screen with a push trigger, suspended: a raw push starts its background task. */
    private void lockScreenAppInTheBackground() {
        connected();
        decide(s -> rules.requestAccess(s, APP, EnumSet.of(ManifestBackgroundTask.PushNotification)));
        decide(s -> rules.answerConsent(s, APP, LockScreenConsent.Allow));
        decide(s -> rules.registerTrigger(s, APP, TriggerKind.PushNotificationTrigger));
        decide(s -> rules.reportExecutionState(s, APP, AppExecutionState.Suspended));
    }

    private static Push raw(String body, CachePolicy cache) {
        return wns(APP, "ch-1", WnsType.RAW, body, cache, "", PushPriority.LOW, Push.NEVER, NOW);
    }

    private static LinkMessage.DeliverWns onlyWns(PushDelivery.Step step) {
        assertEquals(1, step.sends().size(), step::toString);
        return assertInstanceOf(LinkMessage.DeliverWns.class, step.sends().get(0));
    }

    @Test
    void aRawForTheForegroundAppGoesOutAsAnEventWithNothingJournaled() {
        connected();
        decide(s -> rules.reportExecutionState(s, APP, AppExecutionState.Foreground));
        PushDelivery.Offered offered = pushes.offer(raw("hello", CachePolicy.NO_CACHE), true, policy, NOW);
        assertEquals(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), offered.outcome());
        assertEquals(DeliveryMode.ForegroundEvent, onlyWns(offered.step()).mode());
        assertEquals(List.of(), offered.step().events());
    }

    @Test
    void aRawStartsTheAppsBackgroundTaskAndTheNextWaitsForItToFinish() {
        lockScreenAppInTheBackground();
        PushDelivery.Offered first = pushes.offer(raw("first", CachePolicy.NO_CACHE), true, policy, NOW);
        assertEquals(DeliveryMode.BackgroundTask, onlyWns(first.step()).mode());
        assertInstanceOf(DevicePolicyEvent.BackgroundTaskStarted.class, first.step().events().get(0), "journaled first");
        policy = policy.applyAll(first.step().events());

        PushDelivery.Offered second = pushes.offer(raw("second", CachePolicy.NO_CACHE), true, policy, NOW + 1);
        assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED, PushOutcome.StoreReason.WAITING_FOR_BACKGROUND_TASK),
                second.outcome());
        assertEquals(List.of(), second.step().sends());

        decide(s -> rules.reportTaskCompleted(s, APP, TriggerKind.PushNotificationTrigger, 100, 0, NOW + 2));
        PushDelivery.Step next = pushes.taskFinished(APP, policy, raw -> true, NOW + 3);
        LinkMessage.DeliverWns released = onlyWns(next);
        assertEquals("second", new String(released.payload()));
        assertEquals(DeliveryMode.BackgroundTask, released.mode());
        assertEquals(1, next.events().size(), "the next task's start");
        assertEquals(PushDelivery.Step.NONE, pushes.taskFinished(APP, policy, raw -> true, NOW + 4), "nothing waits now");
    }

    @Test
    void theRawWaitingForATaskIsDroppedWhenItsChannelClosedMeanwhile() {
        lockScreenAppInTheBackground();
        policy = policy.applyAll(pushes.offer(raw("first", CachePolicy.NO_CACHE), true, policy, NOW).step().events());
        pushes.offer(raw("second", CachePolicy.NO_CACHE), true, policy, NOW);
        decide(s -> rules.reportTaskCompleted(s, APP, TriggerKind.PushNotificationTrigger, 100, 0, NOW + 2));
        assertEquals(PushDelivery.Step.NONE, pushes.taskFinished(APP, policy, raw -> false, NOW + 3));
    }

    @Test
    void aRawTheRulesRefuseIsDroppedWithTheirReason() {
        connected();
        decide(s -> rules.reportExecutionState(s, APP, AppExecutionState.Suspended));
        PushDelivery.Offered offered = pushes.offer(raw("x", CachePolicy.NO_CACHE), true, policy, NOW);
        assertEquals(new PushOutcome.Dropped(DeviceConnectionStatus.CONNECTED, PushOutcome.DropReason.NotOnLockScreen),
                offered.outcome());
        assertEquals(PushDelivery.Step.NONE, offered.step());
    }

    @Test
    void aRawHeldForPowerKeepsTheWayTheRulesDecidedUntilItGoesOut() {
        lockScreenAppInTheBackground();
        decide(s -> rules.changePowerState(s, PowerState.ConnectedStandby, NOW));
        pushes.powerReported(policy, false, true, NOW);
        PushDelivery.Offered held = pushes.offer(raw("later", CachePolicy.NO_CACHE), true, policy, NOW);
        assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED, PushOutcome.StoreReason.HELD), held.outcome());
        assertEquals(1, held.step().events().size(), "the task starts when the rules decide");
        policy = policy.applyAll(held.step().events());

        decide(s -> rules.changePowerState(s, PowerState.Active, NOW + 1));
        LinkMessage.DeliverWns released = onlyWns(pushes.powerReported(policy, null, true, NOW + 1));
        assertEquals(DeliveryMode.BackgroundTask, released.mode());
    }

    @Test
    void aRawKeptWhileOfflinePassesTheRulesAsTheyStandWhenTheLinkIsBack() {
        assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.DISCONNECTED, PushOutcome.StoreReason.OFFLINE),
                pushes.offer(raw("kept", CachePolicy.CACHE), false, policy, NOW).outcome());
        connected();
        assertEquals(List.of(), pushes.linkUp(policy, NOW + 1).sends(), "not in the foreground, not on the lock screen");

        pushes.linkDown(NOW + 2);
        pushes.offer(raw("kept again", CachePolicy.CACHE), false, policy, NOW + 2);
        decide(s -> rules.reportExecutionState(s, APP, AppExecutionState.Foreground));
        LinkMessage.DeliverWns delivered = onlyWns(pushes.linkUp(policy, NOW + 3));
        assertEquals("kept again", new String(delivered.payload()));
        assertEquals(DeliveryMode.ForegroundEvent, delivered.mode());
    }

    @Test
    void mediumPushesToAScreenOffDeviceWaitForTheBatch() {
        connected();
        decide(s -> rules.changePowerState(s, PowerState.ConnectedStandby, NOW));
        pushes.powerReported(policy, false, true, NOW);
        Push tile = wns(WnsType.TILE, "tile");
        assertEquals(PushOutcome.StoreReason.BATCHED,
                assertInstanceOf(PushOutcome.Stored.class, pushes.offer(tile, true, policy, NOW).outcome()).reason());
        assertTrue(pushes.wantsBatchTimer(true, NOW));
        assertFalse(pushes.wantsBatchTimer(false, NOW), "no batch timer without a link");
        assertEquals(DeliveryMode.Display, onlyWns(pushes.batchDue(true, NOW + 1)).mode());
        assertFalse(pushes.wantsBatchTimer(true, NOW + 1));
    }

    @Test
    void aWebPushMessageSentButNotAcknowledgedGoesAgainOnTheNextLinkAndItsAckIsItsReceipt() {
        connected();
        WebPushMessage message = webPushWithReceipt("s1", "m", 600, "", "rs-1", NOW);
        PushDelivery.Offered offered = pushes.offer(message, true, policy, NOW);
        assertInstanceOf(LinkMessage.DeliverWebPush.class, offered.step().sends().get(0));
        assertFalse(pushes.isIdle(NOW), "a receipt waits for the acknowledgement");

        pushes.linkDown(NOW + 1);
        List<LinkMessage> again = pushes.linkUp(policy, NOW + 2).sends();
        assertEquals(message.messageId(), assertInstanceOf(LinkMessage.DeliverWebPush.class, again.get(0)).messageId());

        List<WebPushReceipts.Receipt> receipts = pushes.acknowledged("s1", message.messageId(), NOW + 3);
        assertEquals(AppEvent.WebPushReceiptFate.ACKNOWLEDGED, receipts.get(0).event().fate());
        assertTrue(pushes.isIdle(NOW + 3));
    }

    @Test
    void aStoredWebPushMessageCanBeDeletedOnceWithItsReceipt() {
        WebPushMessage message = webPushWithReceipt("s1", "m", 600, "", "rs-1", NOW);
        pushes.offer(message, false, policy, NOW);
        assertTrue(pushes.isStored("s1", message.messageId(), NOW));
        assertEquals(AppEvent.WebPushReceiptFate.DELETED,
                pushes.delete("s1", message.messageId(), NOW).orElseThrow().get(0).event().fate());
        assertTrue(pushes.delete("s1", message.messageId(), NOW).isEmpty());
    }
}
