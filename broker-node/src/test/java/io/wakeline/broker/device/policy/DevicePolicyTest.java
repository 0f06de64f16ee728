package io.wakeline.broker.device.policy;

import static io.wakeline.broker.device.policy.ControlChannelTriggerResourceType.RequestHardwareSlot;
import static io.wakeline.broker.device.policy.ControlChannelTriggerResourceType.RequestSoftwareSlot;
import static io.wakeline.broker.device.policy.TestDevice.PUSH_ONLY;
import static io.wakeline.broker.device.policy.TestDevice.RTC_AND_TIMER;
import static io.wakeline.broker.device.policy.TestDevice.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.policy.DeviceNotification.ControlChannelReset;
import io.wakeline.broker.device.policy.DeviceNotification.SystemTriggerRaised;
import io.wakeline.broker.device.policy.DevicePolicyEvent.ControlChannelClosed;
import io.wakeline.broker.device.policy.DevicePolicyEvent.ControlChannelsReset;
import io.wakeline.broker.device.policy.DevicePolicyEvent.DeviceCapabilitiesReported;
import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenAppRemoved;
import io.wakeline.broker.device.policy.DevicePolicyEvent.PowerSourceChanged;
import io.wakeline.broker.device.policy.DevicePolicyEvent.PowerStateChanged;
import io.wakeline.broker.device.policy.DevicePolicyEvent.SandboxQuotaExhausted;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DevicePolicyTest {

    private final TestDevice device = TestDevice.connectedStandbyCapable();

    // --- link and power ---

    @Test
    void handshakeRecordsCapabilitiesAndMakesTheDeviceActive() {
        TestDevice fresh = new TestDevice();

        PowerChange change = fresh.run(s -> fresh.policy.connect(s, DeviceCapabilities.CONNECTED_STANDBY, T0));

        assertEquals(List.of(new DeviceCapabilitiesReported(DeviceCapabilities.CONNECTED_STANDBY),
                new PowerStateChanged(PowerState.Off, PowerState.Active, T0)), change.events());
        assertEquals(PowerState.Active, fresh.state.powerState());
        assertEquals(DeviceCapabilities.CONNECTED_STANDBY, fresh.state.capabilities());
    }

    @Test
    void repeatedHandshakeWithSameCapabilitiesChangesNothing() {
        assertTrue(device.run(s -> device.policy.connect(s, DeviceCapabilities.CONNECTED_STANDBY, T0 + 5)).events().isEmpty());
    }

    @Test
    void connectedStandbyIsRejectedWithoutAConnectedStandbyChipset() {
        TestDevice plain = new TestDevice();
        plain.run(s -> plain.policy.connect(s, DeviceCapabilities.NONE, T0));

        assertEquals(new PowerChange.Rejected(PowerChange.PowerRejection.ConnectedStandbyNotSupported),
                plain.run(s -> plain.policy.changePowerState(s, PowerState.ConnectedStandby, T0)));
        assertEquals(PowerState.Active, plain.state.powerState());
    }

    @Test
    void reportingTheSamePowerStateChangesNothing() {
        assertEquals(new PowerChange.Changed(List.of(), List.of()),
                device.policy.changePowerState(device.state, PowerState.Active, T0));
        assertEquals(PolicyChanges.NONE, device.policy.changePowerSource(device.state, PowerSource.Battery));
    }

    @Test
    void powerSourceChangeIsRecorded() {
        PolicyChanges changes = device.run(s -> device.policy.changePowerSource(s, PowerSource.Mains));

        assertEquals(List.of(new PowerSourceChanged(PowerSource.Mains)), changes.events());
        assertEquals(PowerSource.Mains, device.state.powerSource());
    }

    @Test
    void leavingConnectedStandbyResetsSoftwareSlotChannelsWithLowPowerExit() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.createChannel("mail", "hw", RequestHardwareSlot);
        device.createChannel("mail", "sw", RequestSoftwareSlot);
        device.power(PowerState.ConnectedStandby, T0);

        PowerChange wake = device.run(s -> device.policy.changePowerState(s, PowerState.Active, T0 + 1));

        assertEquals(List.of(new PowerStateChanged(PowerState.ConnectedStandby, PowerState.Active, T0 + 1),
                new ControlChannelsReset("mail", ControlChannelTriggerResetReason.LowPowerExit, List.of("sw"))),
                wake.events());
        assertEquals(List.of(new ControlChannelReset("mail", ControlChannelTriggerResetReason.LowPowerExit, false, true)),
                wake.notifications());
        assertEquals(List.of("hw"), device.state.controlChannels().of("mail").stream().map(ControlChannel::channelId).toList());
        assertEquals(ControlChannelTriggerStatus.SoftwareSlotAllocated, device.createChannel("mail", "sw", RequestSoftwareSlot));
    }

    @Test
    void leavingConnectedStandbyForSleepResetsNothing() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.createChannel("mail", "sw", RequestSoftwareSlot);
        device.power(PowerState.ConnectedStandby, T0);

        PowerChange sleep = device.run(s -> device.policy.changePowerState(s, PowerState.Sleep, T0 + 1));
        PowerChange wake = device.run(s -> device.policy.changePowerState(s, PowerState.Active, T0 + 2));

        assertEquals(1, sleep.events().size());
        assertEquals(1, wake.events().size());
        assertTrue(wake.notifications().isEmpty());
        assertEquals(1, device.state.controlChannels().of("mail").size());
    }

    @Test
    void linkDownEndsRunningBackgroundTasks() {
        device.allowOnLockScreen("im", PUSH_ONLY);
        device.registerPushTrigger("im");
        device.run(s -> device.policy.rawPush(s, "im", T0));

        device.run(s -> device.policy.linkDown(s, T0 + 1));

        assertEquals(PowerState.Off, device.state.powerState());
        assertTrue(device.state.apps().runningTask("im").isEmpty());
    }

    // --- lock screen across concerns ---

    @Test
    void leavingTheLockScreenClosesTheAppsChannelsFirst() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.createChannel("mail", "hw", RequestHardwareSlot);
        device.createChannel("mail", "sw", RequestSoftwareSlot);

        LockScreenRemoval removal = device.run(
                s -> device.policy.removeFromLockScreen(s, "mail", LockScreenRemovalCause.RemovedByUser));

        assertEquals(List.of(
                new ControlChannelClosed("mail", "hw", ChannelCloseCause.AppLeftLockScreen),
                new ControlChannelClosed("mail", "sw", ChannelCloseCause.AppLeftLockScreen),
                new LockScreenAppRemoved("mail", LockScreenRemovalCause.RemovedByUser)), removal.events());
        assertEquals(List.of(new SystemTriggerRaised("mail", SystemTriggerType.LockScreenApplicationRemoved)),
                removal.notifications());
        assertTrue(device.state.controlChannels().of("mail").isEmpty());
        assertEquals(BackgroundAccessStatus.Denied, device.policy.accessStatus(device.state, "mail"));
    }

    @Test
    void removingAnAppNotOnTheLockScreenChangesNothing() {
        assertInstanceOf(LockScreenRemoval.NotOnLockScreen.class,
                device.run(s -> device.policy.removeFromLockScreen(s, "ghost", LockScreenRemovalCause.RemoveAccessCalled)));
    }

    @Test
    void leavingTheLockScreenFreesTheHardwareSlotsForTheNextApp() {
        device.allowOnLockScreen("a", RTC_AND_TIMER);
        device.allowOnLockScreen("b", RTC_AND_TIMER);
        device.allowOnLockScreen("c", RTC_AND_TIMER);
        device.allowOnLockScreen("d", RTC_AND_TIMER);
        device.createChannel("a", "hw", RequestHardwareSlot);
        assertEquals(ControlChannelTriggerStatus.PolicyError, device.createChannel("d", "hw", RequestHardwareSlot));

        device.run(s -> device.policy.removeFromLockScreen(s, "a", LockScreenRemovalCause.RemovedByUser));
        AccessDecision reRequest = device.run(s -> device.policy.requestAccess(s, "d", RTC_AND_TIMER));

        assertEquals(BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity,
                assertInstanceOf(AccessDecision.Answer.class, reRequest).status());
        assertEquals(ControlChannelTriggerStatus.HardwareSlotAllocated, device.createChannel("d", "hw", RequestHardwareSlot));
    }

    @Test
    void addedFromSettingsAppCanUseChannels() {
        AccessDecision added = device.run(s -> device.policy.addToLockScreenByUser(s, "mail", RTC_AND_TIMER));

        assertEquals(BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity,
                assertInstanceOf(AccessDecision.Answer.class, added).status());
        assertEquals(ControlChannelTriggerStatus.HardwareSlotAllocated, device.createChannel("mail", "hw", RequestHardwareSlot));
    }

    @Test
    void closingThroughThePolicyFreesTheSlot() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.createChannel("mail", "sw", RequestSoftwareSlot);

        assertInstanceOf(ChannelClosing.Closed.class, device.run(s -> device.policy.closeControlChannel(s, "mail", "sw")));
        assertTrue(device.state.controlChannels().of("mail").isEmpty());
    }

    // --- resets reported by the device or caused by a restart ---

    @Test
    void fastUserSwitchResetsEveryChannel() {
        device.allowOnLockScreen("a", RTC_AND_TIMER);
        device.allowOnLockScreen("b", RTC_AND_TIMER);
        device.createChannel("a", "hw", RequestHardwareSlot);
        device.createChannel("b", "sw", RequestSoftwareSlot);

        PolicyChanges reset = device.run(
                s -> device.policy.resetControlChannels(s, ControlChannelTriggerResetReason.FastUserSwitched));

        assertEquals(List.of(
                new ControlChannelReset("a", ControlChannelTriggerResetReason.FastUserSwitched, true, false),
                new ControlChannelReset("b", ControlChannelTriggerResetReason.FastUserSwitched, false, true)),
                reset.notifications());
        assertTrue(device.state.controlChannels().channels().isEmpty());
    }

    @Test
    void relaunchAfterNotRunningResetsTheAppsChannelsWithApplicationRestart() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.report("mail", AppExecutionState.Foreground);
        device.createChannel("mail", "hw", RequestHardwareSlot);
        device.report("mail", AppExecutionState.Suspended);
        device.report("mail", AppExecutionState.NotRunning);

        PolicyChanges relaunch = device.run(s -> device.policy.reportExecutionState(s, "mail", AppExecutionState.Foreground));

        assertEquals(List.of(new DevicePolicyEvent.AppExecutionStateChanged("mail", AppExecutionState.Foreground),
                new ControlChannelsReset("mail", ControlChannelTriggerResetReason.ApplicationRestart, List.of("hw"))),
                relaunch.events());
        assertEquals(List.of(new ControlChannelReset("mail", ControlChannelTriggerResetReason.ApplicationRestart, true, false)),
                relaunch.notifications());
        assertEquals(ControlChannelTriggerStatus.HardwareSlotAllocated, device.createChannel("mail", "hw", RequestHardwareSlot));
    }

    @Test
    void resumingFromSuspendKeepsTheChannels() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.createChannel("mail", "hw", RequestHardwareSlot);
        device.report("mail", AppExecutionState.Suspended);

        PolicyChanges resume = device.run(s -> device.policy.reportExecutionState(s, "mail", AppExecutionState.Foreground));

        assertTrue(resume.notifications().isEmpty());
        assertEquals(1, device.state.controlChannels().of("mail").size());
    }

    @Test
    void unchangedExecutionStateRecordsNothing() {
        device.report("mail", AppExecutionState.Suspended);

        assertEquals(PolicyChanges.NONE, device.policy.reportExecutionState(device.state, "mail", AppExecutionState.Suspended));
    }

    // --- usage reports ---

    @Test
    void negativeUsageIsRejected() {
        assertEquals(new UsageReport.Rejected(),
                device.policy.reportTaskCompleted(device.state, "im", TriggerKind.TimeTrigger, -1, 0, T0));
        assertEquals(new UsageReport.Rejected(),
                device.policy.reportTaskCompleted(device.state, "im", TriggerKind.TimeTrigger, 0, -1, T0));
    }

    @Test
    void completionReportEndsTheRunningTaskAndCountsSuspensions() {
        device.allowOnLockScreen("im", PUSH_ONLY);
        device.registerPushTrigger("im");
        device.run(s -> device.policy.rawPush(s, "im", T0));

        UsageReport report = device.run(
                s -> device.policy.reportTaskCompleted(s, "im", TriggerKind.PushNotificationTrigger, 2_500, 0, T0 + 10));

        assertEquals(new SandboxQuotaExhausted("im", TriggerKind.PushNotificationTrigger, Set.of(BudgetResource.Cpu),
                T0 + 15 * 60_000), report.events().get(1));
        assertTrue(device.state.apps().runningTask("im").isEmpty());
        assertEquals(1, device.state.budget().suspendedCount("im"));
    }

    @Test
    void completionOfAnotherTriggerLeavesTheRunningTaskAlone() {
        device.allowOnLockScreen("im", PUSH_ONLY);
        device.registerPushTrigger("im");
        device.run(s -> device.policy.rawPush(s, "im", T0));

        device.completeTask("im", TriggerKind.TimeTrigger, 10, 0, T0 + 1);

        assertTrue(device.state.apps().runningTask("im").isPresent());
    }

    @Test
    void networkUseReportedOnMainsIsNotChargedButOnBatteryIs() {
        device.allowOnLockScreen("im", PUSH_ONLY);
        device.powerSource(PowerSource.Mains);
        device.completeTask("im", TriggerKind.PushNotificationTrigger, 1, 5_000_000, T0);
        assertEquals(0, device.state.budget().currentWindow("im", device.state.budgetClass("im"), T0,
                device.policy.settings()).realTimeNetworkBytes());

        device.powerSource(PowerSource.Battery);
        device.completeTask("im", TriggerKind.PushNotificationTrigger, 1, 5_000, T0 + 1);

        assertEquals(5_000, device.state.budget().currentWindow("im", device.state.budgetClass("im"), T0 + 1,
                device.policy.settings()).realTimeNetworkBytes());
    }

    // --- determinism ---

    @Test
    void replayingTheJournalRebuildsTheState() {
        device.allowOnLockScreen("mail", RTC_AND_TIMER);
        device.allowOnLockScreen("im", PUSH_ONLY);
        device.registerPushTrigger("im");
        device.createChannel("mail", "hw", RequestHardwareSlot);
        device.createChannel("mail", "sw", RequestSoftwareSlot);
        device.run(s -> device.policy.rawPush(s, "im", T0));
        device.completeTask("im", TriggerKind.PushNotificationTrigger, 3_000, 100, T0 + 1);
        device.power(PowerState.ConnectedStandby, T0 + 2);
        device.power(PowerState.Active, T0 + 3);
        device.run(s -> device.policy.removeFromLockScreen(s, "mail", LockScreenRemovalCause.RemoveAccessCalled));

        device.assertReplayable();
    }
}
