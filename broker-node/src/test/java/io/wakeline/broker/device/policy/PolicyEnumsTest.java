package io.wakeline.broker.device.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Windows names and numeric values (wns-spec 6.6, 7.4, 7.8, 7.13, 8.1). */
class PolicyEnumsTest {

    @Test
    void backgroundAccessStatusHasTheWindows8Values() {
        assertEquals(List.of("Unspecified=0", "AllowedWithAlwaysOnRealTimeConnectivity=1",
                "AllowedMayUseActiveRealTimeConnectivity=2", "Denied=3"),
                Arrays.stream(BackgroundAccessStatus.values()).map(v -> v.name() + "=" + v.value()).toList());
    }

    @Test
    void controlChannelTriggerStatusHasTheWindowsValues() {
        assertEquals(List.of("HardwareSlotRequested=0", "SoftwareSlotAllocated=1", "HardwareSlotAllocated=2",
                "PolicyError=3", "SystemError=4", "TransportDisconnected=5", "ServiceUnavailable=6"),
                Arrays.stream(ControlChannelTriggerStatus.values()).map(v -> v.name() + "=" + v.value()).toList());
    }

    @Test
    void resourceTypeHasTheWindowsValues() {
        assertEquals(List.of("RequestSoftwareSlot=0", "RequestHardwareSlot=1"),
                Arrays.stream(ControlChannelTriggerResourceType.values()).map(v -> v.name() + "=" + v.value()).toList());
    }

    @Test
    void resetReasonHasTheWindowsValues() {
        assertEquals(List.of("FastUserSwitched=0", "LowPowerExit=1", "QuietHoursExit=2", "ApplicationRestart=3"),
                Arrays.stream(ControlChannelTriggerResetReason.values()).map(v -> v.name() + "=" + v.value()).toList());
    }

    @Test
    void systemTriggerTypesRaisedByTheBrokerHaveTheWindowsValues() {
        assertEquals(List.of("ControlChannelReset=5", "LockScreenApplicationAdded=9", "LockScreenApplicationRemoved=10"),
                Arrays.stream(SystemTriggerType.values()).map(v -> v.name() + "=" + v.value()).toList());
    }

    @Test
    void manifestTaskTypesUseTheManifestNames() {
        assertEquals(List.of("controlChannel", "pushNotification", "timer", "systemEvent"),
                Arrays.stream(ManifestBackgroundTask.values()).map(ManifestBackgroundTask::manifestName).toList());
    }

    @Test
    void onlyPushAndControlChannelTriggersAreRealTime() {
        assertEquals(List.of(TriggerKind.PushNotificationTrigger, TriggerKind.ControlChannelTrigger),
                Arrays.stream(TriggerKind.values()).filter(TriggerKind::realTime).toList());
    }

    @Test
    void hardwareSlotSupportFollowsChipsetAndNetworkHardware() {
        assertEquals(DeviceCapabilities.HardwareSlotSupport.Supported,
                new DeviceCapabilities(true, true).hardwareSlotSupport());
        assertEquals(DeviceCapabilities.HardwareSlotSupport.SystemError,
                new DeviceCapabilities(true, false).hardwareSlotSupport());
        assertEquals(DeviceCapabilities.HardwareSlotSupport.FallsBackToSoftwareSlot,
                new DeviceCapabilities(false, true).hardwareSlotSupport());
        assertEquals(DeviceCapabilities.HardwareSlotSupport.FallsBackToSoftwareSlot,
                new DeviceCapabilities(false, false).hardwareSlotSupport());
    }
}
