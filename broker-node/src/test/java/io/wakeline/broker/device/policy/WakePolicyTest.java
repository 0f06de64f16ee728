package io.wakeline.broker.device.policy;

import static io.wakeline.broker.device.policy.ControlChannelTriggerResourceType.RequestHardwareSlot;
import static io.wakeline.broker.device.policy.ControlChannelTriggerResourceType.RequestSoftwareSlot;
import static io.wakeline.broker.device.policy.TestDevice.PUSH_ONLY;
import static io.wakeline.broker.device.policy.TestDevice.RTC_AND_TIMER;
import static io.wakeline.broker.device.policy.TestDevice.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.policy.DevicePolicyEvent.BackgroundTaskStarted;
import io.wakeline.broker.device.policy.WakeDecision.DeferReason;
import io.wakeline.broker.device.policy.WakeDecision.WakeRefusal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WakePolicyTest {

    private static final long FIFTEEN_MINUTES = Duration.ofMinutes(15).toMillis();

    private final TestDevice device = TestDevice.connectedStandbyCapable();

    private RawPushDecision raw(String appId) {
        return device.run(s -> device.policy.rawPush(s, appId, T0 + 1));
    }

    private WakeDecision message(String appId, String channelId) {
        return device.run(s -> device.policy.controlChannelMessage(s, appId, channelId, T0 + 1));
    }

    private WakeDecision fired(String appId, TriggerKind trigger) {
        return device.run(s -> device.policy.deviceTrigger(s, appId, trigger, T0 + 1));
    }

    /** A lock-screen app with a PushNotificationTrigger task, suspended. */
    private void pushApp(String appId) {
        device.allowOnLockScreen(appId, PUSH_ONLY);
        device.registerPushTrigger(appId);
        device.report(appId, AppExecutionState.Suspended);
    }

    private void exhaustCpu(String appId, TriggerKind trigger) {
        device.completeTask(appId, trigger, 10_000, 0, T0);
    }

    // --- raw push (wns-spec 5.4–5.10) ---

    @Test
    void rawToForegroundAppIsAnEventThatMayPassOnToItsBackgroundTask() {
        pushApp("im");
        device.report("im", AppExecutionState.Foreground);

        assertEquals(new RawPushDecision.DeliverAsEvent(Optional.empty()), raw("im"));
        assertTrue(device.state.apps().runningTask("im").isEmpty());
    }

    @Test
    void rawToForegroundAppWithoutBackgroundTaskIsStillAnEvent() {
        device.report("game", AppExecutionState.Foreground);

        assertEquals(new RawPushDecision.DeliverAsEvent(Optional.of(RawDropReason.NotOnLockScreen)), raw("game"));
    }

    @Test
    void rawToForegroundLockScreenAppWithoutPushTriggerSaysWhyItCannotPassOn() {
        device.allowOnLockScreen("im", PUSH_ONLY);
        device.report("im", AppExecutionState.Foreground);

        assertEquals(new RawPushDecision.DeliverAsEvent(Optional.of(RawDropReason.NoPushNotificationTrigger)), raw("im"));
    }

    @Test
    void rawToSuspendedLockScreenAppWithPushTriggerStartsItsBackgroundTask() {
        pushApp("im");

        RawPushDecision decision = raw("im");

        assertEquals(new RawPushDecision.StartBackgroundTask(
                List.of(new BackgroundTaskStarted("im", TriggerKind.PushNotificationTrigger, T0 + 1))), decision);
        assertEquals(new RunningTask(TriggerKind.PushNotificationTrigger, T0 + 1),
                device.state.apps().runningTask("im").orElseThrow());
    }

    @Test
    void rawToAppThatIsNotRunningStartsItsBackgroundTask() {
        device.allowOnLockScreen("im", PUSH_ONLY);
        device.registerPushTrigger("im");

        assertInstanceOf(RawPushDecision.StartBackgroundTask.class, raw("im"));
    }

    @Test
    void rawToSuspendedAppOffTheLockScreenIsDropped() {
        device.report("news", AppExecutionState.Suspended);

        assertEquals(new RawPushDecision.Drop(RawDropReason.NotOnLockScreen), raw("news"));
    }

    @Test
    void rawToAppThatLeftTheLockScreenIsDroppedThoughItsTriggerIsRegistered() {
        pushApp("im");
        device.run(s -> device.policy.removeFromLockScreen(s, "im", LockScreenRemovalCause.RemovedByUser));

        assertEquals(new RawPushDecision.Drop(RawDropReason.NotOnLockScreen), raw("im"));
    }

    @Test
    void rawToLockScreenAppWithoutPushTriggerIsDropped() {
        device.allowOnLockScreen("im", PUSH_ONLY);

        assertEquals(new RawPushDecision.Drop(RawDropReason.NoPushNotificationTrigger), raw("im"));
    }

    @Test
    void rawToAppWithoutBudgetIsDropped() {
        pushApp("im");
        exhaustCpu("im", TriggerKind.PushNotificationTrigger);

        assertEquals(new RawPushDecision.Drop(RawDropReason.SandboxQuotaExhausted), raw("im"));
    }

    @Test
    void rawWakesTheAppAgainAfterTheRefill() {
        pushApp("im");
        exhaustCpu("im", TriggerKind.PushNotificationTrigger);

        RawPushDecision later = device.run(s -> device.policy.rawPush(s, "im", T0 + FIFTEEN_MINUTES));

        assertInstanceOf(RawPushDecision.StartBackgroundTask.class, later);
    }

    @Test
    void rawWaitsWhileTheAppsBackgroundTaskRuns() {
        pushApp("im");
        raw("im");

        assertEquals(new RawPushDecision.WaitForRunningTask(), raw("im"));

        device.completeTask("im", TriggerKind.PushNotificationTrigger, 100, 0, T0 + 2);
        assertInstanceOf(RawPushDecision.StartBackgroundTask.class, raw("im"));
    }

    @Test
    void rawWhileTheDeviceSleepsOrIsOfflineIsDropped() {
        pushApp("im");
        device.power(PowerState.Sleep, T0);
        assertEquals(new RawPushDecision.Drop(RawDropReason.DeviceAsleep), raw("im"));

        device.run(s -> device.policy.linkDown(s, T0));
        assertEquals(new RawPushDecision.Drop(RawDropReason.DeviceOffline), raw("im"));
    }

    @Test
    void foregroundAppInSleepGetsNoEvent() {
        pushApp("im");
        device.report("im", AppExecutionState.Foreground);
        device.power(PowerState.Sleep, T0);

        assertEquals(new RawPushDecision.Drop(RawDropReason.DeviceAsleep), raw("im"));
    }

    @Test
    void rawInConnectedStandbyRunsTheBackgroundTaskNotTheForegroundEvent() {
        pushApp("im");
        device.report("im", AppExecutionState.Foreground);
        device.power(PowerState.ConnectedStandby, T0);

        assertInstanceOf(RawPushDecision.StartBackgroundTask.class, raw("im"));
    }

    // --- control-channel messages ---

    private void channelApp(String appId) {
        device.allowOnLockScreen(appId, RTC_AND_TIMER);
        device.report(appId, AppExecutionState.Suspended);
        device.createChannel(appId, "hw", RequestHardwareSlot);
        device.createChannel(appId, "sw", RequestSoftwareSlot);
    }

    @Test
    void messageOnAnUnknownChannelIsRefused() {
        channelApp("mail");

        assertEquals(new WakeDecision.Refuse(WakeRefusal.NoControlChannel), message("mail", "nope"));
        assertEquals(new WakeDecision.Refuse(WakeRefusal.NoControlChannel), message("other", "hw"));
    }

    @Test
    void messageWhileActiveStartsTheBackgroundTaskOfEitherSlot() {
        channelApp("mail");

        assertEquals(new WakeDecision.StartBackgroundTask(
                List.of(new BackgroundTaskStarted("mail", TriggerKind.ControlChannelTrigger, T0 + 1))), message("mail", "sw"));
        device.completeTask("mail", TriggerKind.ControlChannelTrigger, 10, 0, T0 + 1);
        assertInstanceOf(WakeDecision.StartBackgroundTask.class, message("mail", "hw"));
    }

    @Test
    void hardwareSlotChannelWakesTheAppInConnectedStandby() {
        channelApp("mail");
        device.power(PowerState.ConnectedStandby, T0);

        assertInstanceOf(WakeDecision.StartBackgroundTask.class, message("mail", "hw"));
    }

    @Test
    void softwareSlotChannelHoldsMessagesWhileInConnectedStandby() {
        channelApp("mail");
        device.power(PowerState.ConnectedStandby, T0);

        assertEquals(new WakeDecision.Defer(DeferReason.SoftwareSlotInConnectedStandby), message("mail", "sw"));
    }

    @Test
    void noChannelWakesTheAppInSleepOrOff() {
        channelApp("mail");
        device.power(PowerState.Sleep, T0);
        assertEquals(new WakeDecision.Defer(DeferReason.DeviceAsleep), message("mail", "hw"));
        assertEquals(new WakeDecision.Defer(DeferReason.DeviceAsleep), message("mail", "sw"));

        device.run(s -> device.policy.linkDown(s, T0));
        assertEquals(new WakeDecision.Defer(DeferReason.DeviceOffline), message("mail", "hw"));
    }

    @Test
    void messageToForegroundAppGoesStraightToIt() {
        channelApp("mail");
        device.report("mail", AppExecutionState.Foreground);
        exhaustCpu("mail", TriggerKind.ControlChannelTrigger);

        assertEquals(new WakeDecision.DeliverToForegroundApp(), message("mail", "sw"));
    }

    @Test
    void messageWaitsForTheRefillWhenTheQuotaIsUsedUp() {
        channelApp("mail");
        exhaustCpu("mail", TriggerKind.ControlChannelTrigger);

        assertEquals(new WakeDecision.QuotaExhausted(Set.of(BudgetResource.Cpu), T0 + FIFTEEN_MINUTES),
                message("mail", "hw"));
    }

    @Test
    void messageWaitsWhileTheAppsBackgroundTaskRuns() {
        channelApp("mail");
        message("mail", "hw");

        assertEquals(new WakeDecision.Defer(DeferReason.BackgroundTaskRunning), message("mail", "sw"));
    }

    // --- triggers that fire on the device ---

    @Test
    void timeTriggerRunsForARegisteredLockScreenApp() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.run(s -> device.policy.registerTimedTrigger(s, "mail", TriggerKind.TimeTrigger, 15));

        assertInstanceOf(WakeDecision.StartBackgroundTask.class, fired("mail", TriggerKind.TimeTrigger));
    }

    @Test
    void timeTriggerOfAnAppOffTheLockScreenIsRefused() {
        assertEquals(new WakeDecision.Refuse(WakeRefusal.NotOnLockScreen), fired("news", TriggerKind.TimeTrigger));
    }

    @Test
    void unregisteredTriggerIsRefused() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);

        assertEquals(new WakeDecision.Refuse(WakeRefusal.NoTaskRegistered), fired("mail", TriggerKind.TimeTrigger));
        assertEquals(new WakeDecision.Refuse(WakeRefusal.NoTaskRegistered), fired("news", TriggerKind.MaintenanceTrigger));
    }

    @Test
    void maintenanceTriggerRunsOnMainsOnlyAndForAnyApp() {
        device.run(s -> device.policy.registerTimedTrigger(s, "news", TriggerKind.MaintenanceTrigger, 60));

        assertEquals(new WakeDecision.Defer(DeferReason.MaintenanceOnBattery), fired("news", TriggerKind.MaintenanceTrigger));
        device.powerSource(PowerSource.Mains);
        assertInstanceOf(WakeDecision.StartBackgroundTask.class, fired("news", TriggerKind.MaintenanceTrigger));
    }

    @Test
    void maintenanceTaskOfAnAppOffTheLockScreenIsChargedToTheSmallerQuota() {
        device.powerSource(PowerSource.Mains);
        device.run(s -> device.policy.registerTimedTrigger(s, "news", TriggerKind.MaintenanceTrigger, 60));
        device.completeTask("news", TriggerKind.MaintenanceTrigger, 500, 0, T0);

        assertEquals(new WakeDecision.QuotaExhausted(Set.of(BudgetResource.Cpu), T0 + Duration.ofHours(2).toMillis()),
                fired("news", TriggerKind.MaintenanceTrigger));
    }

    @Test
    void timerUsageIsChargedToTheSameBudgetAsPushes() {
        pushApp("im");
        device.run(s -> device.policy.registerTimedTrigger(s, "im", TriggerKind.TimeTrigger, 15));
        device.completeTask("im", TriggerKind.TimeTrigger, 1_000, 0, T0);
        device.completeTask("im", TriggerKind.PushNotificationTrigger, 1_000, 0, T0);

        assertEquals(new RawPushDecision.Drop(RawDropReason.SandboxQuotaExhausted), raw("im"));
    }

    @Test
    void deviceTriggersDoNotRunWhileAsleep() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.run(s -> device.policy.registerTimedTrigger(s, "mail", TriggerKind.TimeTrigger, 15));
        device.power(PowerState.Sleep, T0);

        assertEquals(new WakeDecision.Defer(DeferReason.DeviceAsleep), fired("mail", TriggerKind.TimeTrigger));
    }

    @Test
    void timeTriggerRunsInConnectedStandby() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.run(s -> device.policy.registerTimedTrigger(s, "mail", TriggerKind.TimeTrigger, 15));
        device.power(PowerState.ConnectedStandby, T0);

        assertInstanceOf(WakeDecision.StartBackgroundTask.class, fired("mail", TriggerKind.TimeTrigger));
    }

    @Test
    void keepAliveOfSoftwareOnlyChannelsWaitsOutConnectedStandby() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.createChannel("mail", "sw", RequestSoftwareSlot);
        device.power(PowerState.ConnectedStandby, T0);

        assertEquals(new WakeDecision.Defer(DeferReason.SoftwareSlotInConnectedStandby),
                fired("mail", TriggerKind.ControlChannelTrigger));
    }

    @Test
    void keepAliveNeedsAChannel() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);

        assertEquals(new WakeDecision.Refuse(WakeRefusal.NoControlChannel), fired("mail", TriggerKind.ControlChannelTrigger));
        device.createChannel("mail", "hw", RequestHardwareSlot);
        device.power(PowerState.ConnectedStandby, T0);
        assertInstanceOf(WakeDecision.StartBackgroundTask.class, fired("mail", TriggerKind.ControlChannelTrigger));
    }

    @Test
    void foregroundRawPassOnRunsAsADeviceTrigger() {
        pushApp("im");
        device.report("im", AppExecutionState.Foreground);
        raw("im");

        assertInstanceOf(WakeDecision.StartBackgroundTask.class, fired("im", TriggerKind.PushNotificationTrigger));
        assertEquals(new WakeDecision.Defer(DeferReason.BackgroundTaskRunning), fired("im", TriggerKind.PushNotificationTrigger));
    }

    @Test
    void systemTriggerTaskRunsWithoutTheLockScreen() {
        device.run(s -> device.policy.registerTrigger(s, "news", TriggerKind.SystemTrigger));

        assertInstanceOf(WakeDecision.StartBackgroundTask.class, fired("news", TriggerKind.SystemTrigger));
    }

    @Test
    void manifestWithPushAndControlChannelIsAcceptedForBoth() {
        device.allowOnLockScreen("both", EnumSet.of(ManifestBackgroundTask.PushNotification,
                ManifestBackgroundTask.ControlChannel));
        device.registerPushTrigger("both");
        device.createChannel("both", "hw", RequestHardwareSlot);
        device.report("both", AppExecutionState.Suspended);

        assertInstanceOf(RawPushDecision.StartBackgroundTask.class, raw("both"));
        assertEquals(new WakeDecision.Defer(DeferReason.BackgroundTaskRunning), message("both", "hw"));
    }
}
