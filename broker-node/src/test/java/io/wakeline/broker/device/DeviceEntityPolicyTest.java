package io.wakeline.broker.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import io.wakeline.broker.device.DeviceEntityFixture.Link;
import io.wakeline.broker.device.link.DeliveryMode;
import io.wakeline.broker.device.link.LinkMessage;
import io.wakeline.broker.device.policy.AppExecutionState;
import io.wakeline.broker.device.policy.BackgroundAccessStatus;
import io.wakeline.broker.device.policy.ControlChannelTriggerResetReason;
import io.wakeline.broker.device.policy.ControlChannelTriggerResourceType;
import io.wakeline.broker.device.policy.ControlChannelTriggerStatus;
import io.wakeline.broker.device.policy.DeviceCapabilities;
import io.wakeline.broker.device.policy.DeviceNotification;
import io.wakeline.broker.device.policy.LockScreenConsent;
import io.wakeline.broker.device.policy.LockScreenRemovalCause;
import io.wakeline.broker.device.policy.ManifestBackgroundTask;
import io.wakeline.broker.device.policy.PowerSource;
import io.wakeline.broker.device.policy.PowerState;
import io.wakeline.broker.device.policy.SandboxBudgetSettings;
import io.wakeline.broker.device.policy.SystemTriggerType;
import io.wakeline.broker.device.policy.TriggerKind;
import io.wakeline.broker.device.shell.DeviceEntitySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The device entity applying the Windows rules (DevicePolicy) as persisted events, command by command. */
class DeviceEntityPolicyTest {
    private static final String APP = "ms-app://S-1-15-2-500";
    private static final Set<ManifestBackgroundTask> ALL_TASKS = EnumSet.of(ManifestBackgroundTask.ControlChannel,
            ManifestBackgroundTask.PushNotification, ManifestBackgroundTask.Timer);
    /** 2 CPU-seconds per minute for lock-screen apps: short enough to test exhaustion and refill by time. */
    private static final SandboxBudgetSettings SHORT_BUDGET = new SandboxBudgetSettings(
            Duration.ofMinutes(1), 2_000, 1_000_000, Duration.ofMinutes(2), 1_000, 1_000_000, 50);
    private static final long NOW = DeviceEntityFixture.START; // a period boundary

    private static ActorTestKit testKit;
    private DeviceEntityFixture device;
    private EventSourcedBehaviorTestKit<DeviceEntity.Command, DeviceEntity.Event, DeviceEntity.State> entity;
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
        device = new DeviceEntityFixture(testKit, "dev-p", DeviceEntitySettings.DEFAULTS.withSandbox(SHORT_BUDGET));
        entity = device.entity;
        link = device.link(1);
    }

    @Test
    void attachingMarksTheDeviceActiveAndDetachingMarksItOff() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        assertEquals(PowerState.Active, entity.getState().policy().powerState());
        assertEquals(DeviceCapabilities.CONNECTED_STANDBY, entity.getState().policy().capabilities());
        entity.runCommand(new DeviceEntity.Detach(link.address(), NOW));
        assertEquals(PowerState.Off, entity.getState().policy().powerState());
    }

    @Test
    void aLockScreenRequestPromptsOnceAndTheConsentAddsTheApp() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        DeviceEntity.LockScreenAnswer prompt = requestAccess(APP);
        assertTrue(prompt.showConsentPrompt());
        var consent = entity.<DeviceEntity.LockScreenAnswer>runCommand(
                r -> new DeviceEntity.AnswerLockScreenConsent(APP, LockScreenConsent.Allow, r));
        assertEquals(BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity, consent.reply().status());
        assertFalse(consent.events().isEmpty(), "the grant is persisted");
        LinkMessage.Notify added = link.expect(LinkMessage.Notify.class);
        assertEquals(new DeviceNotification.SystemTriggerRaised(APP, SystemTriggerType.LockScreenApplicationAdded), added.notification());

        DeviceEntity.LockScreenAnswer again = requestAccess(APP);
        assertFalse(again.showConsentPrompt(), "later requests return the status without asking again");
        assertEquals(BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity, again.status());
    }

    @Test
    void theEighthLockScreenRequestIsDenied() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        for (int i = 1; i <= 7; i++) {
            grantLockScreen("ms-app://S-1-15-2-" + i, EnumSet.of(ManifestBackgroundTask.PushNotification));
        }
        DeviceEntity.LockScreenAnswer eighth = requestAccess("ms-app://S-1-15-2-8");
        assertEquals(BackgroundAccessStatus.Denied, eighth.status());
        assertFalse(eighth.showConsentPrompt());
    }

    @Test
    void removalFromTheLockScreenIsPersistedAndNotified() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        grantLockScreen(APP, ALL_TASKS);
        link.next();
        var removed = entity.<DeviceEntity.LockScreenAnswer>runCommand(
                r -> new DeviceEntity.RemoveFromLockScreen(APP, LockScreenRemovalCause.RemovedByUser, r));
        assertFalse(removed.events().isEmpty());
        assertFalse(entity.getState().policy().lockScreen().contains(APP));
        assertEquals(new DeviceNotification.SystemTriggerRaised(APP, SystemTriggerType.LockScreenApplicationRemoved),
                link.expect(LinkMessage.Notify.class).notification());
    }

    @Test
    void controlChannelsGetHardwareSlotsOnlyForTheFirstThreeLockScreenApps() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        for (int i = 1; i <= 4; i++) {
            grantLockScreen("ms-app://S-1-15-2-" + i, ALL_TASKS);
        }
        for (int i = 1; i <= 3; i++) {
            assertEquals(ControlChannelTriggerStatus.HardwareSlotAllocated,
                    createChannel("ms-app://S-1-15-2-" + i, "cc", ControlChannelTriggerResourceType.RequestHardwareSlot).status().orElseThrow());
        }
        DeviceEntity.ControlChannelAnswer fourth = createChannel("ms-app://S-1-15-2-4", "cc", ControlChannelTriggerResourceType.RequestHardwareSlot);
        assertTrue(fourth.status().orElseThrow() == ControlChannelTriggerStatus.PolicyError
                        || fourth.status().orElseThrow() == ControlChannelTriggerStatus.SoftwareSlotAllocated,
                "the 4th app gets no hardware slot: " + fourth);
        assertEquals(ControlChannelTriggerStatus.SoftwareSlotAllocated,
                createChannel("ms-app://S-1-15-2-4", "sw", ControlChannelTriggerResourceType.RequestSoftwareSlot).status().orElseThrow());
    }

    @Test
    void aSixthControlChannelIsAPolicyErrorAndClosingFreesTheSlot() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        grantLockScreen(APP, ALL_TASKS);
        for (int i = 1; i <= 5; i++) {
            createChannel(APP, "c" + i, ControlChannelTriggerResourceType.RequestSoftwareSlot);
        }
        assertEquals(ControlChannelTriggerStatus.PolicyError,
                createChannel(APP, "c6", ControlChannelTriggerResourceType.RequestSoftwareSlot).status().orElseThrow());
        var closed = entity.<DeviceEntity.ControlChannelAnswer>runCommand(r -> new DeviceEntity.CloseControlChannel(APP, "c1", r));
        assertTrue(closed.reply().closed());
        assertEquals(ControlChannelTriggerStatus.SoftwareSlotAllocated,
                createChannel(APP, "c6", ControlChannelTriggerResourceType.RequestSoftwareSlot).status().orElseThrow());
    }

    @Test
    void aControlChannelForAnAppNotOnTheLockScreenIsRefused() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        DeviceEntity.ControlChannelAnswer answer = createChannel(APP, "cc", ControlChannelTriggerResourceType.RequestSoftwareSlot);
        assertEquals(ControlChannelRejection.NotOnLockScreen, answer.rejection());
    }

    @Test
    void leavingConnectedStandbyResetsSoftwareSlotChannelsWithLowPowerExit() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        grantLockScreen(APP, ALL_TASKS);
        link.next();
        createChannel(APP, "sw", ControlChannelTriggerResourceType.RequestSoftwareSlot);
        entity.runCommand(new DeviceEntity.ReportPower(PowerState.ConnectedStandby, null, null, NOW));
        assertEquals(PowerState.ConnectedStandby, entity.getState().policy().powerState());
        entity.runCommand(new DeviceEntity.ReportPower(PowerState.Active, null, null, NOW + 1000));
        LinkMessage.Notify reset = link.expect(LinkMessage.Notify.class);
        DeviceNotification.ControlChannelReset details = assertInstanceOf(DeviceNotification.ControlChannelReset.class, reset.notification());
        assertEquals(ControlChannelTriggerResetReason.LowPowerExit, details.resetReason());
        assertTrue(details.softwareSlotReset());
    }

    @Test
    void rawPushToASuspendedAppNotOnTheLockScreenIsDropped() {
        attach(DeviceCapabilities.NONE);
        String channel = requestChannel(APP);
        entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Suspended));
        PushOutcome outcome = pushRaw(channel, "x");
        PushOutcome.Dropped dropped = assertInstanceOf(PushOutcome.Dropped.class, outcome);
        assertEquals(PushOutcome.DropReason.NotOnLockScreen, dropped.reason());
        device.expectNothingMore(link);
    }

    @Test
    void rawPushStartsOneBackgroundTaskAtATimeAndTheNextWaitsForItsReport() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        String channel = requestChannel(APP);
        grantLockScreen(APP, ALL_TASKS);
        link.next();
        registerTrigger(APP, TriggerKind.PushNotificationTrigger);
        entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Suspended));

        assertEquals(new PushOutcome.Delivered(DeviceConnectionStatus.CONNECTED), pushRaw(channel, "first"));
        LinkMessage.DeliverWns first = link.expect(LinkMessage.DeliverWns.class);
        assertEquals(DeliveryMode.BackgroundTask, first.mode());

        assertEquals(new PushOutcome.Stored(DeviceConnectionStatus.CONNECTED, PushOutcome.StoreReason.WAITING_FOR_BACKGROUND_TASK),
                pushRaw(channel, "second"));
        device.expectNothingMore(link);

        entity.runCommand(new DeviceEntity.ReportBackgroundTask(APP, TriggerKind.PushNotificationTrigger, 100, 0, NOW + 10));
        LinkMessage.DeliverWns second = link.expect(LinkMessage.DeliverWns.class);
        assertEquals("second", new String(second.payload(), StandardCharsets.UTF_8));
        assertEquals(DeliveryMode.BackgroundTask, second.mode());
    }

    @Test
    void anAppThatSpentItsBudgetIsNotWokenUntilTheRefill() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        grantLockScreen(APP, ALL_TASKS);
        link.next();
        registerTimer(APP);
        var run = requestTask(APP, NOW + 1);
        assertEquals(DeviceEntity.TaskVerdict.RUN, run.verdict());
        entity.runCommand(new DeviceEntity.ReportBackgroundTask(APP, TriggerKind.TimeTrigger, 5_000, 0, NOW + 2));

        DeviceEntity.BackgroundTaskAnswer exhausted = requestTask(APP, NOW + 3);
        assertEquals(DeviceEntity.TaskVerdict.QUOTA_EXHAUSTED, exhausted.verdict());
        assertEquals(NOW + 60_000, exhausted.refillAtMillis());

        assertEquals(DeviceEntity.TaskVerdict.RUN, requestTask(APP, NOW + 60_000).verdict(), "the quota refills each period");
    }

    @Test
    void policyStateSurvivesARestartAndTheDeviceIsOffUntilItReconnects() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        grantLockScreen(APP, ALL_TASKS);
        createChannel(APP, "hw", ControlChannelTriggerResourceType.RequestHardwareSlot);
        entity.runCommand(new DeviceEntity.ReportPower(null, PowerSource.Mains, null, NOW));

        entity.restart();
        var view = entity.<DeviceEntity.DeviceView>runCommand(DeviceEntity.GetDevice::new).reply();
        assertTrue(view.policy().lockScreen().contains(APP));
        assertEquals(1, view.policy().controlChannels().of(APP).size());
        assertEquals(PowerSource.Mains, view.policy().powerSource());
        assertEquals(PowerState.Off, entity.getState().policy().powerState(), "no link after a restart: the device is off");
    }

    @Test
    void anAppTheUserAddsInSettingsJoinsWithoutAPrompt() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        var added = entity.<DeviceEntity.LockScreenAnswer>runCommand(
                r -> new DeviceEntity.AddToLockScreenByUser(APP, ALL_TASKS, r));
        assertFalse(added.reply().showConsentPrompt());
        assertEquals(BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity, added.reply().status());
        assertTrue(entity.getState().policy().lockScreen().contains(APP));
    }

    @Test
    void aFastUserSwitchResetsEveryControlChannelOfTheApp() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        grantLockScreen(APP, ALL_TASKS);
        link.next();
        createChannel(APP, "hw", ControlChannelTriggerResourceType.RequestHardwareSlot);
        createChannel(APP, "sw", ControlChannelTriggerResourceType.RequestSoftwareSlot);
        entity.runCommand(new DeviceEntity.ReportControlChannelReset(ControlChannelTriggerResetReason.FastUserSwitched));
        DeviceNotification.ControlChannelReset reset = assertInstanceOf(DeviceNotification.ControlChannelReset.class,
                link.expect(LinkMessage.Notify.class).notification());
        assertEquals(ControlChannelTriggerResetReason.FastUserSwitched, reset.resetReason());
        assertTrue(reset.hardwareSlotReset() && reset.softwareSlotReset());
        assertEquals(0, entity.getState().policy().controlChannels().of(APP).size(), "the app must recreate them");
    }

    @Test
    void anUnregisteredPushTriggerNoLongerStartsBackgroundTasks() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        String channel = requestChannel(APP);
        grantLockScreen(APP, ALL_TASKS);
        link.next();
        registerTrigger(APP, TriggerKind.PushNotificationTrigger);
        entity.runCommand(new DeviceEntity.ReportAppState(APP, AppExecutionState.Suspended));
        var unregistered = entity.<DeviceEntity.TriggerAnswer>runCommand(
                r -> new DeviceEntity.RegisterTrigger(APP, TriggerKind.PushNotificationTrigger, 0,
                        DeviceEntity.RegisterTrigger.Change.Unregister, r));
        assertTrue(unregistered.reply().accepted());
        PushOutcome.Dropped dropped = assertInstanceOf(PushOutcome.Dropped.class, pushRaw(channel, "x"));
        assertEquals(PushOutcome.DropReason.NoPushNotificationTrigger, dropped.reason());
    }

    @Test
    void aTimerFreshnessUnderFifteenMinutesIsRefused() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        grantLockScreen(APP, ALL_TASKS);
        var refused = entity.<DeviceEntity.TriggerAnswer>runCommand(
                r -> new DeviceEntity.RegisterTrigger(APP, TriggerKind.TimeTrigger, 14, DeviceEntity.RegisterTrigger.Change.Register, r));
        assertFalse(refused.reply().accepted());
        assertEquals(TriggerRejection.FreshnessBelowFifteenMinutes, refused.reply().rejection());
    }

    @Test
    void anEntityRecoveredWhileItsDeviceWasConnectedMarksItOffByItself() {
        attach(DeviceCapabilities.CONNECTED_STANDBY);
        assertEquals(PowerState.Active, entity.getState().policy().powerState());
        entity.restart(); // the node holding the link died; no Detach ever came
        assertEquals(PowerState.Off, entity.getState().policy().powerState());
        var view = entity.<DeviceEntity.DeviceView>runCommand(DeviceEntity.GetDevice::new).reply();
        assertFalse(view.attached());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void attach(DeviceCapabilities capabilities) {
        device.attach(link, capabilities, NOW);
    }

    private DeviceEntity.LockScreenAnswer requestAccess(String app) {
        return entity.<DeviceEntity.LockScreenAnswer>runCommand(r -> new DeviceEntity.RequestLockScreenAccess(app, ALL_TASKS, r)).reply();
    }

    private void grantLockScreen(String app, Set<ManifestBackgroundTask> tasks) {
        entity.<DeviceEntity.LockScreenAnswer>runCommand(r -> new DeviceEntity.RequestLockScreenAccess(app, tasks, r));
        var answer = entity.<DeviceEntity.LockScreenAnswer>runCommand(
                r -> new DeviceEntity.AnswerLockScreenConsent(app, LockScreenConsent.Allow, r)).reply();
        assertTrue(answer.status() == BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity
                || answer.status() == BackgroundAccessStatus.AllowedMayUseActiveRealTimeConnectivity, answer::toString);
    }

    private DeviceEntity.ControlChannelAnswer createChannel(String app, String id, ControlChannelTriggerResourceType type) {
        return entity.<DeviceEntity.ControlChannelAnswer>runCommand(r -> new DeviceEntity.CreateControlChannel(app, id, 15, type, r)).reply();
    }

    private String requestChannel(String app) {
        return entity.<DeviceEntity.ChannelGranted>runCommand(r -> new DeviceEntity.RequestChannel(app, NOW, r)).reply().channelId();
    }

    private void registerTrigger(String app, TriggerKind trigger) {
        assertTrue(entity.<DeviceEntity.TriggerAnswer>runCommand(r -> new DeviceEntity.RegisterTrigger(app, trigger, 0,
                DeviceEntity.RegisterTrigger.Change.Register, r)).reply().accepted());
    }

    private void registerTimer(String app) {
        assertTrue(entity.<DeviceEntity.TriggerAnswer>runCommand(r -> new DeviceEntity.RegisterTrigger(app, TriggerKind.TimeTrigger, 15,
                DeviceEntity.RegisterTrigger.Change.Register, r)).reply().accepted());
    }

    private DeviceEntity.BackgroundTaskAnswer requestTask(String app, long now) {
        return entity.<DeviceEntity.BackgroundTaskAnswer>runCommand(r -> new DeviceEntity.RequestBackgroundTask(app, TriggerKind.TimeTrigger, now, r)).reply();
    }

    private static int ids;

    private PushOutcome pushRaw(String channel, String body) {
        WnsPush push = new WnsPush("dev-p", APP, channel, WnsType.RAW, body.getBytes(StandardCharsets.UTF_8),
                CachePolicy.NO_CACHE, "", "", WnsType.RAW.defaultPriority(), Push.NEVER, "M" + (++ids), NOW);
        return entity.<PushOutcome>runCommand(r -> new DeviceEntity.DeliverPush(push, r)).reply();
    }
}
