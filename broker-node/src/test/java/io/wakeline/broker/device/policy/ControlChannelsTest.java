package io.wakeline.broker.device.policy;

import static io.wakeline.broker.device.policy.ControlChannelSlot.HardwareSlot;
import static io.wakeline.broker.device.policy.ControlChannelSlot.SoftwareSlot;
import static io.wakeline.broker.device.policy.ControlChannelTriggerResourceType.RequestHardwareSlot;
import static io.wakeline.broker.device.policy.ControlChannelTriggerResourceType.RequestSoftwareSlot;
import static io.wakeline.broker.device.policy.ControlChannelTriggerStatus.HardwareSlotAllocated;
import static io.wakeline.broker.device.policy.ControlChannelTriggerStatus.PolicyError;
import static io.wakeline.broker.device.policy.ControlChannelTriggerStatus.ServiceUnavailable;
import static io.wakeline.broker.device.policy.ControlChannelTriggerStatus.SoftwareSlotAllocated;
import static io.wakeline.broker.device.policy.ControlChannelTriggerStatus.SystemError;
import static io.wakeline.broker.device.policy.ControlChannelTriggerStatus.TransportDisconnected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wakeline.broker.device.policy.ChannelCreation.ChannelRejection;
import io.wakeline.broker.device.policy.DeviceNotification.ControlChannelReset;
import io.wakeline.broker.device.policy.DevicePolicyEvent.ControlChannelClosed;
import io.wakeline.broker.device.policy.DevicePolicyEvent.ControlChannelCreated;
import io.wakeline.broker.device.policy.DevicePolicyEvent.ControlChannelsReset;
import io.wakeline.broker.device.policy.DevicePolicyEvent.LockScreenAppAdded;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlChannelsTest {

    private static final DeviceCapabilities CS = DeviceCapabilities.CONNECTED_STANDBY;
    private static final DeviceCapabilities NO_CS = DeviceCapabilities.NONE;
    private static final DeviceCapabilities CHIPSET_ONLY = new DeviceCapabilities(true, false);

    /** rtc1..rtc3 hold the real-time-connectivity slots; app4..app7 are on the lock screen without them. */
    private final LockScreen lockScreen = fullLockScreen();
    private ControlChannels channels = ControlChannels.EMPTY;
    private DeviceCapabilities capabilities = CS;
    private PowerState power = PowerState.Active;

    private static LockScreen fullLockScreen() {
        LockScreen lockScreen = LockScreen.EMPTY;
        var rtc = EnumSet.of(ManifestBackgroundTask.ControlChannel, ManifestBackgroundTask.Timer);
        for (int i = 1; i <= 3; i++) {
            lockScreen = lockScreen.apply(new LockScreenAppAdded("rtc" + i,
                    BackgroundAccessStatus.AllowedWithAlwaysOnRealTimeConnectivity, rtc));
        }
        for (int i = 4; i <= 7; i++) {
            lockScreen = lockScreen.apply(new LockScreenAppAdded("app" + i,
                    BackgroundAccessStatus.AllowedMayUseActiveRealTimeConnectivity, rtc));
        }
        return lockScreen;
    }

    private ChannelCreation create(String appId, String channelId, int keepAlive, ControlChannelTriggerResourceType type) {
        ChannelCreation creation = channels.create(appId, channelId, keepAlive, type, lockScreen, capabilities, power);
        creation.events().forEach(e -> channels = channels.apply(e));
        return creation;
    }

    private ControlChannelTriggerStatus status(String appId, String channelId, ControlChannelTriggerResourceType type) {
        return assertInstanceOf(ChannelCreation.Completed.class, create(appId, channelId, 15, type)).status();
    }

    private void apply(PolicyDecision decision) {
        decision.events().forEach(e -> channels = channels.apply(e));
    }

    // --- what the constructor refuses ---

    @Test
    void channelIdMustBeOneToSixtyFourCharacters() {
        assertEquals(new ChannelCreation.Rejected(ChannelRejection.InvalidChannelId), create("rtc1", "", 15, RequestSoftwareSlot));
        assertEquals(new ChannelCreation.Rejected(ChannelRejection.InvalidChannelId),
                create("rtc1", "x".repeat(65), 15, RequestSoftwareSlot));
        assertEquals(SoftwareSlotAllocated, status("rtc1", "x".repeat(64), RequestSoftwareSlot));
    }

    @Test
    void serverKeepAliveMustBeFifteenTo1439Minutes() {
        assertEquals(new ChannelCreation.Rejected(ChannelRejection.ServerKeepAliveIntervalOutOfRange),
                create("rtc1", "a", 14, RequestSoftwareSlot));
        assertEquals(new ChannelCreation.Rejected(ChannelRejection.ServerKeepAliveIntervalOutOfRange),
                create("rtc1", "a", 1440, RequestSoftwareSlot));
        assertInstanceOf(ChannelCreation.Completed.class, create("rtc1", "a", 15, RequestSoftwareSlot));
        assertInstanceOf(ChannelCreation.Completed.class, create("rtc1", "b", 1439, RequestSoftwareSlot));
        assertEquals(1439, channels.find("rtc1", "b").orElseThrow().serverKeepAliveIntervalInMinutes());
    }

    @Test
    void appNotOnTheLockScreenIsRefused() {
        assertEquals(new ChannelCreation.Rejected(ChannelRejection.NotOnLockScreen),
                create("stranger", "a", 15, RequestSoftwareSlot));
        assertTrue(channels.channels().isEmpty());
    }

    @Test
    void anOpenChannelIdCannotBeCreatedTwice() {
        status("rtc1", "a", RequestSoftwareSlot);

        assertEquals(new ChannelCreation.Rejected(ChannelRejection.DuplicateChannelId), create("rtc1", "a", 15, RequestHardwareSlot));
        assertEquals(SoftwareSlotAllocated, status("rtc2", "a", RequestSoftwareSlot));
    }

    // --- allocation ---

    @Test
    void softwareRequestGetsASoftwareSlot() {
        ChannelCreation creation = create("app4", "a", 30, RequestSoftwareSlot);

        assertEquals(new ChannelCreation.Completed(SoftwareSlotAllocated,
                List.of(new ControlChannelCreated("app4", "a", 30, SoftwareSlot))), creation);
    }

    @Test
    void realTimeAppGetsAHardwareSlotOnAConnectedStandbyDevice() {
        assertEquals(HardwareSlotAllocated, status("rtc1", "a", RequestHardwareSlot));
        assertEquals(HardwareSlot, channels.find("rtc1", "a").orElseThrow().slot());
    }

    @Test
    void firstThreeLockScreenAppsGetThreeHardwareAndTwoSoftwareSlots() {
        for (String app : List.of("rtc1", "rtc2", "rtc3")) {
            assertEquals(HardwareSlotAllocated, status(app, "h1", RequestHardwareSlot));
            assertEquals(HardwareSlotAllocated, status(app, "h2", RequestHardwareSlot));
            assertEquals(HardwareSlotAllocated, status(app, "h3", RequestHardwareSlot));
            assertEquals(SoftwareSlotAllocated, status(app, "s1", RequestSoftwareSlot));
            assertEquals(SoftwareSlotAllocated, status(app, "s2", RequestSoftwareSlot));
            assertEquals(PolicyError, status(app, "s3", RequestSoftwareSlot));
            assertEquals(3, channels.count(app, HardwareSlot));
            assertEquals(2, channels.count(app, SoftwareSlot));
        }
    }

    @Test
    void fourthHardwareSlotOfAnAppIsAPolicyError() {
        status("rtc1", "h1", RequestHardwareSlot);
        status("rtc1", "h2", RequestHardwareSlot);
        status("rtc1", "h3", RequestHardwareSlot);

        assertEquals(PolicyError, status("rtc1", "h4", RequestHardwareSlot));
        assertEquals(SoftwareSlotAllocated, status("rtc1", "s1", RequestSoftwareSlot));
    }

    @Test
    void firstThreeAppsMayUseAllFiveSlotsAsSoftware() {
        for (int i = 1; i <= 5; i++) {
            assertEquals(SoftwareSlotAllocated, status("rtc1", "s" + i, RequestSoftwareSlot));
        }
        assertEquals(PolicyError, status("rtc1", "h", RequestHardwareSlot));
    }

    @Test
    void lockScreenAppsFourToSevenGetFiveSoftwareSlotsAndNoHardwareSlot() {
        for (String app : List.of("app4", "app5", "app6", "app7")) {
            assertEquals(PolicyError, status(app, "h", RequestHardwareSlot));
            for (int i = 1; i <= 5; i++) {
                assertEquals(SoftwareSlotAllocated, status(app, "s" + i, RequestSoftwareSlot));
            }
            assertEquals(PolicyError, status(app, "s6", RequestSoftwareSlot));
            assertEquals(0, channels.count(app, HardwareSlot));
        }
    }

    @Test
    void hardwareRequestFallsBackToSoftwareWithoutConnectedStandbyChipset() {
        capabilities = NO_CS;

        assertEquals(SoftwareSlotAllocated, status("rtc1", "a", RequestHardwareSlot));
        assertEquals(SoftwareSlotAllocated, status("app4", "a", RequestHardwareSlot));
        assertEquals(SoftwareSlot, channels.find("rtc1", "a").orElseThrow().slot());
    }

    @Test
    void hardwareRequestIsASystemErrorWhenOnlyTheChipsetSupportsConnectedStandby() {
        capabilities = CHIPSET_ONLY;

        assertEquals(SystemError, status("rtc1", "a", RequestHardwareSlot));
        assertEquals(SoftwareSlotAllocated, status("rtc1", "a", RequestSoftwareSlot));
        assertEquals(0, channels.count("rtc1", HardwareSlot));
    }

    // --- power state ---

    @Test
    void linkDownMeansTransportDisconnected() {
        power = PowerState.Off;

        assertEquals(TransportDisconnected, status("rtc1", "a", RequestHardwareSlot));
        assertTrue(channels.channels().isEmpty());
    }

    @Test
    void sleepingDeviceCannotTakeAChannel() {
        power = PowerState.Sleep;

        assertEquals(ServiceUnavailable, status("rtc1", "a", RequestSoftwareSlot));
    }

    @Test
    void softwareSlotInConnectedStandbyIsServiceUnavailableButHardwareSlotIsAllocated() {
        power = PowerState.ConnectedStandby;

        assertEquals(ServiceUnavailable, status("rtc1", "s", RequestSoftwareSlot));
        assertEquals(HardwareSlotAllocated, status("rtc1", "h", RequestHardwareSlot));
        assertEquals(PolicyError, status("app4", "h", RequestHardwareSlot));
    }

    // --- closing and resets ---

    @Test
    void closingFreesTheSlot() {
        for (int i = 1; i <= 5; i++) {
            status("app4", "s" + i, RequestSoftwareSlot);
        }

        ChannelClosing closing = channels.close("app4", "s3");
        apply(closing);

        assertEquals(List.of(new ControlChannelClosed("app4", "s3", ChannelCloseCause.ClosedByApp)), closing.events());
        assertEquals(SoftwareSlotAllocated, status("app4", "s6", RequestSoftwareSlot));
        assertEquals(SoftwareSlotAllocated, status("rtc1", "s3", RequestSoftwareSlot));
    }

    @Test
    void closingAHardwareChannelFreesTheHardwareSlot() {
        status("rtc1", "h1", RequestHardwareSlot);
        status("rtc1", "h2", RequestHardwareSlot);
        status("rtc1", "h3", RequestHardwareSlot);

        apply(channels.close("rtc1", "h2"));

        assertEquals(HardwareSlotAllocated, status("rtc1", "h4", RequestHardwareSlot));
    }

    @Test
    void closingAnUnknownChannelChangesNothing() {
        status("rtc1", "a", RequestSoftwareSlot);

        assertInstanceOf(ChannelClosing.UnknownChannel.class, channels.close("rtc1", "b"));
        assertInstanceOf(ChannelClosing.UnknownChannel.class, channels.close("rtc2", "a"));
    }

    @Test
    void closeAllClosesEveryChannelOfTheAppOnly() {
        status("rtc1", "a", RequestSoftwareSlot);
        status("rtc1", "b", RequestHardwareSlot);
        status("rtc2", "a", RequestSoftwareSlot);

        List<DevicePolicyEvent> events = channels.closeAll("rtc1", ChannelCloseCause.AppLeftLockScreen);
        events.forEach(e -> channels = channels.apply(e));

        assertEquals(List.of(new ControlChannelClosed("rtc1", "a", ChannelCloseCause.AppLeftLockScreen),
                new ControlChannelClosed("rtc1", "b", ChannelCloseCause.AppLeftLockScreen)), events);
        assertTrue(channels.of("rtc1").isEmpty());
        assertEquals(1, channels.of("rtc2").size());
    }

    @Test
    void lowPowerExitResetsOnlySoftwareSlotChannels() {
        status("rtc1", "h", RequestHardwareSlot);
        status("rtc1", "s", RequestSoftwareSlot);
        status("rtc2", "h", RequestHardwareSlot);
        status("app4", "s1", RequestSoftwareSlot);
        status("app4", "s2", RequestSoftwareSlot);

        PolicyChanges reset = channels.resetSoftwareSlots(ControlChannelTriggerResetReason.LowPowerExit);
        apply(reset);

        assertEquals(List.of(
                new ControlChannelsReset("rtc1", ControlChannelTriggerResetReason.LowPowerExit, List.of("s")),
                new ControlChannelsReset("app4", ControlChannelTriggerResetReason.LowPowerExit, List.of("s1", "s2"))),
                reset.events());
        assertEquals(List.of(
                new ControlChannelReset("rtc1", ControlChannelTriggerResetReason.LowPowerExit, false, true),
                new ControlChannelReset("app4", ControlChannelTriggerResetReason.LowPowerExit, false, true)),
                reset.notifications());
        assertEquals(List.of("h"), channels.of("rtc1").stream().map(ControlChannel::channelId).toList());
        assertEquals(1, channels.of("rtc2").size());
        assertTrue(channels.of("app4").isEmpty());
    }

    @Test
    void resetAllResetsBothSlotKindsAndSaysSo() {
        status("rtc1", "h", RequestHardwareSlot);
        status("rtc1", "s", RequestSoftwareSlot);

        PolicyChanges reset = channels.resetAll(ControlChannelTriggerResetReason.FastUserSwitched);
        apply(reset);

        assertEquals(List.of(new ControlChannelReset("rtc1", ControlChannelTriggerResetReason.FastUserSwitched, true, true)),
                reset.notifications());
        assertTrue(channels.channels().isEmpty());
    }

    @Test
    void resetWithNothingToResetChangesNothing() {
        assertEquals(PolicyChanges.NONE, channels.resetAll(ControlChannelTriggerResetReason.QuietHoursExit));
        status("rtc1", "h", RequestHardwareSlot);
        assertEquals(PolicyChanges.NONE, channels.resetSoftwareSlots(ControlChannelTriggerResetReason.LowPowerExit));
        assertEquals(PolicyChanges.NONE, channels.resetApp("rtc2", ControlChannelTriggerResetReason.ApplicationRestart));
    }

    @Test
    void resetChannelsCanBeCreatedAgainUnderTheSameId() {
        status("rtc1", "s", RequestSoftwareSlot);
        apply(channels.resetApp("rtc1", ControlChannelTriggerResetReason.ApplicationRestart));

        assertEquals(SoftwareSlotAllocated, status("rtc1", "s", RequestSoftwareSlot));
    }
}
